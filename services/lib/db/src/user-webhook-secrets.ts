/**
 * The signing secrets of a user's own webhook endpoint that still sign at `now` (migration 0018): the
 * current one and any rotated-out one in its overlap, newest first. The API asks before issuing a
 * first secret; channel-webhook asks for every delivery to a user's endpoint.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export async function liveWebhookSecrets(
  db: Pick<Kysely<Database>, 'selectFrom'>,
  tenant: string,
  userId: string,
  now: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('user_webhook_secrets')
    .select('secret')
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('retires_at', 'is', null), eb('retires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.secret);
}
