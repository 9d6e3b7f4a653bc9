/**
 * How a batch of dedupe claims is decided. One statement may touch a (tenant, key) row only once, so
 * only the first claim of each key goes to the database; every later claim of that key in the batch is
 * judged against whichever event holds the key once the statement has run, exactly as if it had come
 * one statement later.
 */
import { firstByKey } from '@notify/db';

export interface DedupeClaim {
  tenant: string;
  key: string;
  eventId: string;
}

/** Either the event may proceed, or another event holds the key (its id, when the statement could see it). */
export type DedupeVerdict = { duplicate: false } | { duplicate: true; holder: string | null };

/** What the statement said about a key's first claim: whether it took the key, else who held it. */
export interface KeyOutcome {
  claimed: boolean;
  holder: string | null;
}

export const claimKeyOf = (c: { tenant: string; key: string }): string => `${c.tenant}\u0000${c.key}`;

/** The claims the statement must make: the first of each (tenant, key), in order. */
export function firstClaims(claims: readonly DedupeClaim[]): DedupeClaim[] {
  return [...firstByKey(claims, claimKeyOf).values()];
}

/** One verdict per claim, in order, from the outcome of each key's first claim. */
export function decideClaims(claims: readonly DedupeClaim[], outcomes: ReadonlyMap<string, KeyOutcome>): DedupeVerdict[] {
  const firsts = firstByKey(claims, claimKeyOf);
  return claims.map((claim) => {
    const key = claimKeyOf(claim);
    const outcome = outcomes.get(key);
    if (!outcome) throw new Error(`no outcome for the dedupe claim of ${claim.eventId}`);
    // After the statement the key belongs to the first claim's event if it was taken, else to the old holder.
    const holder = outcome.claimed ? (firsts.get(key) as DedupeClaim).eventId : outcome.holder;
    return holder === claim.eventId ? { duplicate: false } : { duplicate: true, holder };
  });
}
