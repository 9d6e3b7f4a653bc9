/**
 * One dispatch fans out to several devices; this folds their outcomes into the dispatch's one
 * outcome, and lists every device's in the status detail (JSON: `{"devices":[{device, outcome,
 * ref?, reason?}]}`, devices named by describeTarget, never by a usable token).
 *
 * A retryable failure wins (the retry sends only to devices not yet reached, thanks to their own
 * claims); then any success; then a permanent failure; and only when every device is gone (now or
 * earlier) or belongs to someone else does the dispatch fail as `subscription_gone`.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import type { SendResult } from '@notify/channel';
import { SubscriptionGoneError } from './subscription-gone';

export type TargetOutcome =
  | { kind: 'sent'; ref: string | null }
  /** The push service says the token or subscription no longer exists. */
  | { kind: 'gone'; statusCode: number; reason: string }
  /** Not dialled: reported gone earlier, or the token now belongs to another user. */
  | { kind: 'skipped'; reason: string }
  | { kind: 'retry'; error: RetryableError }
  | { kind: 'permanent'; error: PermanentError };

export interface DeviceOutcome {
  device: string;
  outcome: TargetOutcome;
}

const WORD: Record<TargetOutcome['kind'], string> = {
  sent: 'delivered',
  gone: 'gone',
  skipped: 'skipped',
  retry: 'retrying',
  permanent: 'failed',
};

/** The per-device part of a status detail. */
export function devicesDetail(results: readonly DeviceOutcome[]): string {
  return JSON.stringify({
    devices: results.map(({ device, outcome: o }) => ({
      device,
      outcome: WORD[o.kind],
      ...(o.kind === 'sent' && o.ref ? { ref: o.ref } : {}),
      ...(o.kind === 'gone' || o.kind === 'skipped' ? { reason: o.reason } : {}),
      ...(o.kind === 'retry' || o.kind === 'permanent' ? { reason: o.error.code } : {}),
    })),
  });
}

export function foldOutcomes(results: readonly DeviceOutcome[]): SendResult {
  const detail = devicesDetail(results);
  const outcomes = results.map((r) => r.outcome);
  const retries = outcomes.flatMap((o) => (o.kind === 'retry' ? [o.error] : []));
  if (retries.length > 0) {
    const waits = retries.map((e) => e.retryAfterMs).filter((ms): ms is number => ms !== undefined);
    const first = retries[0] as RetryableError;
    const more = retries.length > 1 ? ` (and ${retries.length - 1} more)` : '';
    throw new RetryableError(
      first.code,
      `${first.message}${more}; ${detail}`,
      waits.length > 0 ? { retryAfterMs: Math.max(...waits) } : {},
    );
  }
  const sent = outcomes.flatMap((o) => (o.kind === 'sent' ? [o.ref] : []));
  if (sent.length > 0) return { providerRef: sent.filter((r): r is string => r !== null).join(' ') || null, detail };
  const permanent = outcomes.find((o): o is Extract<TargetOutcome, { kind: 'permanent' }> => o.kind === 'permanent');
  if (permanent) throw new PermanentError(permanent.error.code, `${permanent.error.message}; ${detail}`, { cause: permanent.error });
  throw new SubscriptionGoneError(`all ${outcomes.length} push device(s) are gone or no longer this user's; ${detail}`);
}
