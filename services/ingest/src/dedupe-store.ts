/**
 * Ingest's de-duplication window in Postgres (table ingest_dedupe), so a restart or a rebalance does
 * not forget which event first claimed a dedupe key. The handler claims one event at a time, many at
 * once; the claims made in one turn of the event loop are one statement (TickBatcher), so a chunk of
 * events costs one round trip. A claim held by another event for less than the window refuses the key;
 * an older claim is taken over; the same event redelivered keeps its claim and its original time.
 */
import { RetryableError } from '@notify/errors';
import { sql, TickBatcher, type Db } from '@notify/db';
import { claimKeyOf, decideClaims, firstClaims, type DedupeClaim, type DedupeVerdict, type KeyOutcome } from './dedupe-claims';

interface TimedClaim extends DedupeClaim {
  at: number;
}

export class DedupeStore {
  private readonly claims: TickBatcher<TimedClaim, DedupeVerdict>;

  constructor(
    private readonly db: Db,
    private readonly windowMs: number,
  ) {
    this.claims = new TickBatcher((batch) => this.claimAll(batch));
  }

  /** Claims `key` for `eventId` at time `at` (epoch ms). A database failure is retryable. */
  claim(claim: DedupeClaim, at: number): Promise<DedupeVerdict> {
    return this.claims.call({ ...claim, at });
  }

  /** Deletes up to `limit` claims that expired before `now`; returns how many. */
  async purgeExpired(now: number, limit: number): Promise<number> {
    const cutoff = new Date(now - this.windowMs);
    // skip locked: replicas purging at the same moment take different rows instead of waiting on each other.
    const result = await sql`
      delete from ingest_dedupe d
       using (select tenant, dedupe_key from ingest_dedupe where claimed_at <= ${cutoff}
               order by claimed_at limit ${limit} for update skip locked) old
       where d.tenant = old.tenant and d.dedupe_key = old.dedupe_key`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  private async claimAll(batch: readonly TimedClaim[]): Promise<DedupeVerdict[]> {
    const firsts = firstClaims(batch) as TimedClaim[];
    // One clock per statement: the latest caller's time, so no claim is judged by a time before its own.
    const at = Math.max(...firsts.map((c) => c.at));
    let rows: Array<{ tenant: string; dedupe_key: string; claimed: boolean; holder: string | null }>;
    try {
      rows = (
        await sql<{ tenant: string; dedupe_key: string; claimed: boolean; holder: string | null }>`
        with input as (
          select * from unnest(${firsts.map((c) => c.tenant)}::text[], ${firsts.map((c) => c.key)}::text[], ${firsts.map((c) => c.eventId)}::text[])
                     as i(tenant, dedupe_key, event_id)
        ), claimed as (
          insert into ingest_dedupe as d (tenant, dedupe_key, event_id, claimed_at)
          select tenant, dedupe_key, event_id, ${new Date(at)}::timestamptz from input
          on conflict (tenant, dedupe_key) do update
             set event_id = excluded.event_id,
                 claimed_at = case when d.event_id = excluded.event_id then d.claimed_at else excluded.claimed_at end
           where d.event_id = excluded.event_id or d.claimed_at <= ${new Date(at - this.windowMs)}::timestamptz
          returning d.tenant, d.dedupe_key
        )
        select i.tenant, i.dedupe_key, c.dedupe_key is not null as claimed, held.event_id as holder
          from input i
          left join claimed c on c.tenant = i.tenant and c.dedupe_key = i.dedupe_key
          left join ingest_dedupe held on held.tenant = i.tenant and held.dedupe_key = i.dedupe_key`.execute(this.db)
      ).rows;
    } catch (cause) {
      throw new RetryableError(
        'dedupe_store_unavailable',
        `could not claim dedupe keys: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    // The outer select reads the table as it was before the insert, so `holder` is the previous holder:
    // exactly what a refused claim needs (and null if a concurrent writer added the row meanwhile).
    const outcomes = new Map<string, KeyOutcome>(
      rows.map((r) => [claimKeyOf({ tenant: r.tenant, key: r.dedupe_key }), { claimed: r.claimed, holder: r.holder }]),
    );
    return decideClaims(batch, outcomes);
  }
}
