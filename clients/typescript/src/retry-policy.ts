/**
 * When a failed request is tried again and how long the client waits first: full-jitter exponential
 * backoff, or exactly what the server asked for in Retry-After. Pure, so the rules are tested alone.
 */

export interface RetryPolicy {
  /** Retries after the first request (0: never retry). */
  retries: number;
  /** First backoff ceiling; it doubles each retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the call with the error instead of sleeping that long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

/**
 * A client error is final, except a timeout (408), rate limiting (429), and a 409 saying this very
 * Idempotency-Key is still being answered: that is our own earlier attempt, and giving up would leave
 * the caller unsure whether the event was taken (a new call would then risk a second event).
 */
export function isRetryableStatus(status: number, code: string | undefined): boolean {
  if (status >= 500 || status === 408 || status === 429) return true;
  return status === 409 && code === 'idempotency_key_in_flight';
}

/** Milliseconds to wait from a Retry-After value (delay-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its month; this keeps things like "-1" from parsing as a year.
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Full jitter: uniformly between 0 and the attempt's ceiling, so many clients retrying do not arrive together. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** The wait before retry number `retry` (0-based), or null when the call must end now. */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (retry >= policy.retries) return null;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : null;
  return backoffDelay(retry, policy, random);
}
