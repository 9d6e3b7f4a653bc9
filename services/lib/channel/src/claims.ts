/**
 * Idempotency claims in Postgres. A worker claims a dispatch's key before calling the provider, so a
 * redelivered dispatch finds the claim and does not send again.
 *
 * The handler calls these one dispatch at a time, many dispatches concurrently; the calls made in one
 * turn of the event loop are written as one statement (TickBatcher), so a chunk of claims costs a few
 * commits instead of one per dispatch.
 */
import { firstByKey, sql, TickBatcher, type Db } from '@notify/db';

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
export type Claims = Pick<ClaimStore, 'claim' | 'reopen' | 'markSent' | 'markFailed' | 'release'>;

interface ClaimRequest {
  key: string;
  notificationId: string;
  channel: string;
  replay: number;
}

interface Reopening {
  key: string;
  replay: number;
}

interface Completion {
  key: string;
  state: 'sent' | 'failed';
  providerRef: string | null;
}

export class ClaimStore {
  private readonly claims: TickBatcher<ClaimRequest, ClaimOutcome>;
  private readonly reopenings: TickBatcher<Reopening, ClaimOutcome>;
  private readonly completions: TickBatcher<Completion, void>;
  private readonly releases: TickBatcher<string, void>;

  constructor(private readonly db: Db) {
    this.claims = new TickBatcher((requests) => this.claimAll(requests));
    this.reopenings = new TickBatcher((requests) => this.reopenAll(requests));
    this.completions = new TickBatcher((completions) => this.completeAll(completions));
    this.releases = new TickBatcher((keys) => this.releaseAll(keys));
  }

  /** `replay` is the run claiming: 0 for the original, n for the n-th operator replay of its dead letter. */
  claim(key: string, notificationId: string, channel: string, replay = 0): Promise<ClaimOutcome> {
    return this.claims.call({ key, notificationId, channel, replay });
  }

  /**
   * An operator's replay takes over a claim an earlier run left failed or in doubt: the claim becomes
   * this replay's, claimed afresh with its attempts reset. A claim already held by this replay (or a
   * later one), or sent, is not touched and its outcome is answered, so a redelivered record of the
   * replay does not send again.
   */
  reopen(key: string, replay: number): Promise<ClaimOutcome> {
    return this.reopenings.call({ key, replay });
  }

  markSent(key: string, providerRef: string | null): Promise<void> {
    return this.completions.call({ key, state: 'sent', providerRef });
  }

  markFailed(key: string): Promise<void> {
    return this.completions.call({ key, state: 'failed', providerRef: null });
  }

  /** A retryable failure releases the claim so the next attempt may send. */
  release(key: string): Promise<void> {
    return this.releases.call(key);
  }

  private async claimAll(requests: readonly ClaimRequest[]): Promise<ClaimOutcome[]> {
    // The first request for a key may insert it; a second one in the same batch finds it claimed,
    // exactly as it would have one statement later.
    const firstOf = firstByKey(requests, (r) => r.key);
    const inserted = new Set(
      (
        await this.db
          .insertInto('delivery_claims')
          .values(
            [...firstOf.values()].map((r) => ({
              idempotency_key: r.key,
              notification_id: r.notificationId,
              channel: r.channel,
              state: 'claimed',
              attempts: 1,
              replay: r.replay,
            })),
          )
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('idempotency_key')
          .execute()
      ).map((row) => row.idempotency_key),
    );
    const claimedNow = new Set<ClaimRequest>([...firstOf.values()].filter((r) => inserted.has(r.key)));
    const existingKeys = [...new Set(requests.filter((r) => !claimedNow.has(r)).map((r) => r.key))];
    const existing = new Map<string, ClaimOutcome>();
    if (existingKeys.length > 0) {
      const rows = await this.db
        .updateTable('delivery_claims')
        .set({ attempts: sql`attempts + 1` })
        .where('idempotency_key', 'in', existingKeys)
        .returning(['idempotency_key', 'state', 'provider_ref', 'attempts'])
        .execute();
      for (const row of rows) existing.set(row.idempotency_key, outcomeOf(row));
    }
    return requests.map((r) => {
      if (claimedNow.has(r)) return { kind: 'claimed' };
      const found = existing.get(r.key);
      if (!found) throw new Error(`claim ${r.key} was neither inserted nor found`);
      return found;
    });
  }

  private async reopenAll(requests: readonly Reopening[]): Promise<ClaimOutcome[]> {
    // As with claims, the first request for a key may take it over; a second finds it claimed.
    const firstOf = [...firstByKey(requests, (r) => r.key).values()];
    const { rows } = await sql<{ idempotency_key: string }>`
      update delivery_claims as c
         set state = 'claimed', attempts = 1, replay = u.replay, provider_ref = null, claimed_at = now(), completed_at = null
        from unnest(${firstOf.map((r) => r.key)}::text[], ${firstOf.map((r) => r.replay)}::int[]) as u(idempotency_key, replay)
       where c.idempotency_key = u.idempotency_key and c.state in ('failed', 'claimed') and c.replay < u.replay
      returning c.idempotency_key`.execute(this.db);
    const taken = new Set(rows.map((row) => row.idempotency_key));
    const reopenedNow = new Set(firstOf.filter((r) => taken.has(r.key)));
    const otherKeys = [...new Set(requests.filter((r) => !reopenedNow.has(r)).map((r) => r.key))];
    const found = new Map<string, ClaimOutcome>();
    if (otherKeys.length > 0) {
      const current = await this.db
        .selectFrom('delivery_claims')
        .select(['idempotency_key', 'state', 'provider_ref', 'attempts'])
        .where('idempotency_key', 'in', otherKeys)
        .execute();
      for (const row of current) found.set(row.idempotency_key, outcomeOf(row));
    }
    return requests.map((r) => {
      if (reopenedNow.has(r)) return { kind: 'claimed' };
      const outcome = found.get(r.key);
      if (!outcome) throw new Error(`claim ${r.key} to re-open was not found`);
      return outcome;
    });
  }

  private async completeAll(completions: readonly Completion[]): Promise<void[]> {
    await sql`
      update delivery_claims as c
         set state = u.state, provider_ref = coalesce(u.provider_ref, c.provider_ref), completed_at = now()
        from unnest(${completions.map((c) => c.key)}::text[], ${completions.map((c) => c.state)}::text[], ${completions.map((c) => c.providerRef)}::text[])
             as u(idempotency_key, state, provider_ref)
       where c.idempotency_key = u.idempotency_key`.execute(this.db);
    return completions.map(() => undefined);
  }

  private async releaseAll(keys: readonly string[]): Promise<void[]> {
    await this.db
      .deleteFrom('delivery_claims')
      .where('idempotency_key', 'in', [...keys])
      .where('state', '=', 'claimed')
      .execute();
    return keys.map(() => undefined);
  }
}

function outcomeOf(row: { state: string; provider_ref: string | null; attempts: number }): ClaimOutcome {
  if (row.state === 'sent') return { kind: 'sent', providerRef: row.provider_ref };
  if (row.state === 'failed') return { kind: 'failed' };
  return { kind: 'in_doubt', attempts: row.attempts };
}

/**
 * Claims a dispatch's key for its run. A replay (`replay` > 0) whose claim an earlier run left failed
 * or in doubt re-opens it and may send; every other outcome is the claim's own.
 */
export async function claimForRun(
  claims: Pick<Claims, 'claim' | 'reopen'>,
  key: string,
  notificationId: string,
  channel: string,
  replay: number,
): Promise<ClaimOutcome> {
  const claim = await claims.claim(key, notificationId, channel, replay);
  if (replay > 0 && (claim.kind === 'failed' || claim.kind === 'in_doubt')) return claims.reopen(key, replay);
  return claim;
}
