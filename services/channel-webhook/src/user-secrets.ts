/**
 * The signing secrets of a user's own webhook endpoint (see liveWebhookSecrets), read per delivery so
 * a rotation or a deleted endpoint takes effect at the next message.
 */
import { liveWebhookSecrets, type Db } from '@notify/db';

export type UserSecrets = (tenant: string, userId: string) => Promise<string[]>;

export function userSecretsFrom(db: Db, now: () => number = Date.now): UserSecrets {
  return (tenant, userId) => liveWebhookSecrets(db, tenant, userId, new Date(now()));
}
