/**
 * One dispatch fans out to several subscriptions; this folds their outcomes into the dispatch's.
 * A retryable failure wins (the retry sends only to subscriptions not yet sent, thanks to their own
 * claims); then any success; then a permanent failure; and only when every subscription is gone does
 * the dispatch fail as `subscription_gone`.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import type { SendResult } from '@notify/channel';
import { SubscriptionGoneError } from './subscription-gone';

export type TargetOutcome =
  | { kind: 'sent'; ref: string | null }
  | { kind: 'gone' }
  | { kind: 'retry'; error: RetryableError }
  | { kind: 'permanent'; error: PermanentError };

export function foldOutcomes(outcomes: readonly TargetOutcome[]): SendResult {
  const retries = outcomes.flatMap((o) => (o.kind === 'retry' ? [o.error] : []));
  if (retries.length > 0) {
    const waits = retries.map((e) => e.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    const first = retries[0] as RetryableError;
    const detail = retries.length > 1 ? ` (and ${retries.length - 1} more)` : '';
    throw new RetryableError(first.code, `${first.message}${detail}`, waits.length > 0 ? { retryAfterMs: Math.max(...waits) } : {});
  }
  const sent = outcomes.flatMap((o) => (o.kind === 'sent' ? [o.ref] : []));
  if (sent.length > 0) return { providerRef: sent.filter((r): r is string => r !== null).join(' ') || null };
  const permanent = outcomes.find((o): o is Extract<TargetOutcome, { kind: 'permanent' }> => o.kind === 'permanent');
  if (permanent) throw permanent.error;
  throw new SubscriptionGoneError(`all ${outcomes.length} push subscription(s) are gone`);
}
