/**
 * Answers to HTTP requests with an Idempotency-Key, per tenant, in Postgres (table ingest_idempotency).
 * The first request inserts the key with its request hash and no answer (in flight), does its work and
 * stores the answer; a later request with the key finds the answer, a different hash, or the key still
 * in flight. An in-flight row older than the lease belongs to a request that died (its process crashed)
 * and is taken over by a retry of the same request; a row older than the retention counts as gone.
 */
import { sql, type Db } from '@notify/db';

export type Begun =
  /** This request holds the key; `claimedAt` identifies its claim when completing or releasing it. */
  | { kind: 'owner'; claimedAt: Date }
  /** The key already answered this same request. */
  | { kind: 'replay'; status: number; response: unknown }
  /** The key belongs to a different request. */
  | { kind: 'reused' }
  /** The same request is still being answered. */
  | { kind: 'in_flight' };

export interface IdempotencyTimes {
  /** After this long without an answer, a claim is taken to be abandoned. */
  leaseMs: number;
  /** How long keys and answers are kept. */
  retentionMs: number;
}

export class IdempotencyStore {
  constructor(
    private readonly db: Db,
    private readonly times: IdempotencyTimes,
  ) {}

  async begin(tenant: string, key: string, hash: string, now: number): Promise<Begun> {
    // A row released between our insert and our read is gone: trying again then inserts it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimedAt = new Date(now);
      const inserted = await sql<{ created_at: Date }>`
        insert into ingest_idempotency as i (tenant, key, request_hash, status, response, created_at)
        values (${tenant}, ${key}, ${hash}, null, null, ${claimedAt})
        on conflict (tenant, key) do update
           set request_hash = excluded.request_hash, status = null, response = null, created_at = excluded.created_at
         where (i.status is null and i.request_hash = excluded.request_hash and i.created_at <= ${new Date(now - this.times.leaseMs)})
            or i.created_at <= ${new Date(now - this.times.retentionMs)}
        returning i.created_at`.execute(this.db);
      if (inserted.rows.length > 0) return { kind: 'owner', claimedAt };
      const held = await this.db
        .selectFrom('ingest_idempotency')
        .select(['request_hash', 'status', 'response'])
        .where('tenant', '=', tenant)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!held) continue;
      if (held.request_hash !== hash) return { kind: 'reused' };
      if (held.status === null) return { kind: 'in_flight' };
      return { kind: 'replay', status: held.status, response: held.response === null ? null : (JSON.parse(held.response) as unknown) };
    }
    throw new Error(`idempotency key ${key} kept changing hands`);
  }

  /** Stores the answer, unless the claim was taken over meanwhile (then the newer claim answers). */
  async complete(tenant: string, key: string, claimedAt: Date, status: number, response: unknown): Promise<void> {
    await this.db
      .updateTable('ingest_idempotency')
      .set({ status, response: JSON.stringify(response) })
      .where('tenant', '=', tenant)
      .where('key', '=', key)
      .where('created_at', '=', claimedAt)
      .execute();
  }

  /** Gives the key up after a failure, so the client's retry is processed instead of refused. */
  async release(tenant: string, key: string, claimedAt: Date): Promise<void> {
    await this.db
      .deleteFrom('ingest_idempotency')
      .where('tenant', '=', tenant)
      .where('key', '=', key)
      .where('created_at', '=', claimedAt)
      .where('status', 'is', null)
      .execute();
  }

  /** Deletes up to `limit` keys older than the retention; returns how many. */
  async purgeExpired(now: number, limit: number): Promise<number> {
    const cutoff = new Date(now - this.times.retentionMs);
    const result = await sql`
      delete from ingest_idempotency i
       using (select tenant, key from ingest_idempotency where created_at <= ${cutoff}
               order by created_at limit ${limit} for update skip locked) old
       where i.tenant = old.tenant and i.key = old.key`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
