/**
 * Idempotency claims in Postgres. A worker claims a dispatch's key before calling the provider, so a
 * redelivered dispatch finds the claim and does not send again.
 */
import { sql, type Db } from '@notify/db';

export type ClaimOutcome =
  /** First time: go ahead and send. */
  | { kind: 'claimed' }
  /** Already sent: report the earlier result, do not send. */
  | { kind: 'sent'; providerRef: string | null }
  /** Already failed for good. */
  | { kind: 'failed' }
  /** A previous attempt claimed it and its outcome is unknown (crash between claim and result). */
  | { kind: 'in_doubt'; attempts: number };

/** What the channel handler needs of a claim store. */
export type Claims = Pick<ClaimStore, 'claim' | 'markSent' | 'markFailed' | 'release'>;

export class ClaimStore {
  constructor(private readonly db: Db) {}

  async claim(key: string, notificationId: string, channel: string): Promise<ClaimOutcome> {
    const inserted = await this.db
      .insertInto('delivery_claims')
      .values({ idempotency_key: key, notification_id: notificationId, channel, state: 'claimed', attempts: 1 })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };
    const existing = await this.db
      .updateTable('delivery_claims')
      .set({ attempts: sql`attempts + 1` })
      .where('idempotency_key', '=', key)
      .returning(['state', 'provider_ref', 'attempts'])
      .executeTakeFirstOrThrow();
    if (existing.state === 'sent') return { kind: 'sent', providerRef: existing.provider_ref };
    if (existing.state === 'failed') return { kind: 'failed' };
    return { kind: 'in_doubt', attempts: existing.attempts };
  }

  async markSent(key: string, providerRef: string | null): Promise<void> {
    await this.db.updateTable('delivery_claims').set({ state: 'sent', provider_ref: providerRef, completed_at: new Date() }).where('idempotency_key', '=', key).execute();
  }

  async markFailed(key: string): Promise<void> {
    await this.db.updateTable('delivery_claims').set({ state: 'failed', completed_at: new Date() }).where('idempotency_key', '=', key).execute();
  }

  /** A retryable failure releases the claim so the next attempt may send. */
  async release(key: string): Promise<void> {
    await this.db.deleteFrom('delivery_claims').where('idempotency_key', '=', key).where('state', '=', 'claimed').execute();
  }
}
