/**
 * Per-channel retry policy (seed 002's table, extended to every channel): how many times a retryable
 * failure is tried again through notifications.retry.<channel>, and how long to wait before each try.
 */
import type { Channel } from '@notify/schemas';

export interface RetryPolicy {
  /** Retries after the first attempt; the dispatch is dead-lettered once they are used up. */
  maxRetries: number;
  /** Delay before retry n (0-based); the last entry repeats. */
  delaysMs: readonly number[];
  /** Seed 002: delay n is multiplied by 2^n. */
  exponential: boolean;
  /** Upper bound of any delay, Retry-After included. */
  maxDelayMs: number;
}

const S = 1000;
const HOUR = 3600 * S;

export const RETRY_POLICIES: Readonly<Record<Channel, RetryPolicy>> = {
  email: { maxRetries: 3, delaysMs: [60 * S, 300 * S, 900 * S], exponential: false, maxDelayMs: HOUR },
  webhook: { maxRetries: 5, delaysMs: [30 * S, 60 * S, 120 * S, 300 * S, 600 * S], exponential: true, maxDelayMs: 6 * HOUR },
  sms: { maxRetries: 2, delaysMs: [120 * S, 600 * S], exponential: false, maxDelayMs: HOUR },
  slack: { maxRetries: 3, delaysMs: [30 * S, 120 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
  // Not in the seed's table: chosen by analogy (voice like SMS; chat like Slack; pages retried soon).
  voice: { maxRetries: 2, delaysMs: [120 * S, 600 * S], exponential: false, maxDelayMs: HOUR },
  discord: { maxRetries: 3, delaysMs: [30 * S, 120 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
  teams: { maxRetries: 3, delaysMs: [30 * S, 120 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
  push: { maxRetries: 3, delaysMs: [30 * S, 120 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
  pagerduty: { maxRetries: 5, delaysMs: [10 * S, 30 * S, 60 * S, 120 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
  inapp: { maxRetries: 5, delaysMs: [1 * S, 5 * S, 30 * S, 60 * S, 300 * S], exponential: false, maxDelayMs: HOUR },
};

/** Milliseconds to wait before retry `retryIndex` (0-based); a provider's Retry-After wins when given. */
export function retryDelayMs(policy: RetryPolicy, retryIndex: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxDelayMs);
  const base = policy.delaysMs[Math.min(retryIndex, policy.delaysMs.length - 1)] ?? 0;
  const delay = policy.exponential ? base * 2 ** retryIndex : base;
  return Math.min(delay, policy.maxDelayMs);
}

/** A channel's policy with deployment overrides (tests and staging use short delays). */
export function retryPolicyFor(channel: Channel, overrides: { maxRetries?: number; delaysMs?: readonly number[] } = {}): RetryPolicy {
  const base = RETRY_POLICIES[channel];
  return {
    ...base,
    ...(overrides.maxRetries !== undefined ? { maxRetries: overrides.maxRetries } : {}),
    ...(overrides.delaysMs && overrides.delaysMs.length > 0 ? { delaysMs: overrides.delaysMs, exponential: false } : {}),
  };
}
