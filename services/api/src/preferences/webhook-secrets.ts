/**
 * Signing secrets of a user's own webhook endpoint (PUT /v1/contacts/chat/webhook). The endpoint gets a
 * secret of its own when it is first set, shown in that answer only; the user can rotate it, and the
 * previous one keeps signing beside the new one for a day so their receiver can switch without a gap.
 * channel-webhook signs the user's deliveries with these and never with the tenant's secret.
 */
import { randomBytes } from 'node:crypto';
import { liveWebhookSecrets } from '@notify/db';
import type { Tx } from '../transaction';

/** How long a rotated-out secret still signs. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Issues the endpoint's first secret, or nothing (null) when it already has a live one. */
export async function issueWebhookSecretOnce(trx: Tx, tenant: string, userId: string, now: Date): Promise<string | null> {
  if ((await liveWebhookSecrets(trx, tenant, userId, now)).length > 0) return null;
  const secret = newWebhookSecret();
  await trx.insertInto('user_webhook_secrets').values({ tenant, user_id: userId, secret, created_at: now }).execute();
  return secret;
}

/** A new secret; the ones before it retire after the overlap (those already retiring keep their time). */
export async function rotateWebhookSecret(
  trx: Tx,
  tenant: string,
  userId: string,
  now: Date,
): Promise<{ secret: string; previousRetiresAt: Date }> {
  const previousRetiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  await trx
    .deleteFrom('user_webhook_secrets')
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .where('retires_at', '<=', now)
    .execute();
  await trx
    .updateTable('user_webhook_secrets')
    .set({ retires_at: previousRetiresAt })
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .where('retires_at', 'is', null)
    .execute();
  const secret = newWebhookSecret();
  await trx.insertInto('user_webhook_secrets').values({ tenant, user_id: userId, secret, created_at: now }).execute();
  return { secret, previousRetiresAt };
}

export async function deleteWebhookSecrets(trx: Tx, tenant: string, userId: string): Promise<void> {
  await trx.deleteFrom('user_webhook_secrets').where('tenant', '=', tenant).where('user_id', '=', userId).execute();
}
