/**
 * The signing secrets of a user's own webhook endpoint, as the API issued them (migration 0018): the
 * current one and any rotated-out one still in its overlap, newest first. Read per delivery, so a
 * rotation or a deleted endpoint takes effect at the next message.
 */
import type { Db } from '@notify/db';

export type UserSecrets = (tenant: string, userId: string) => Promise<string[]>;

export function userSecretsFrom(db: Db, now: () => number = Date.now): UserSecrets {
  return async (tenant, userId) => {
    const rows = await db
      .selectFrom('user_webhook_secrets')
      .select('secret')
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', new Date(now()))]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => r.secret);
  };
}
