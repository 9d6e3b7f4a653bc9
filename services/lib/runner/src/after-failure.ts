/**
 * What the worker does after a handler threw, decided by the error's type: a Deferral is waited out
 * quietly (a retry that is not due yet is the retry topic working, not failing); a retryable failure
 * is counted, logged and backed off; anything else is given up on, and the caller decides how
 * (dead-letter the record, or fall back from a whole chunk to one record at a time).
 */
import { Deferral, errorCode, errorMessage, isRetryable, RetryableError } from '@notify/errors';
import { backoffDelay, type BackoffPolicy } from './backoff';
import type { Logger } from './logger';
import type { WorkerMetrics } from './metrics';

export type AfterFailure = { next: 'wait'; ms: number } | { next: 'retry'; ms: number } | { next: 'give_up' };

export interface AfterFailureDeps {
  log: Logger;
  metrics: Pick<WorkerMetrics, 'failures'>;
  retry: BackoffPolicy;
  /** Longest single sleep on a deferral: the worker heart-beats and asks the handler again after it. */
  deferralStepMs: number;
  now: () => number;
}

/** `where` names the record or chunk in the log line (topic, offset, records). */
export function afterFailure(error: unknown, attempt: number, where: Record<string, unknown>, deps: AfterFailureDeps): AfterFailure {
  if (error instanceof Deferral) {
    const ms = Math.min(error.remainingMs(deps.now()), deps.deferralStepMs);
    deps.log.debug({ ...where, due_in_ms: error.remainingMs(deps.now()) }, error.message);
    return { next: 'wait', ms };
  }
  if (!isRetryable(error)) return { next: 'give_up' };
  const code = errorCode(error);
  deps.metrics.failures.inc({ code, outcome: 'retried' });
  deps.log.warn({ ...where, code, attempt, reason: errorMessage(error) }, 'transient failure, retrying');
  const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs : undefined;
  return { next: 'retry', ms: backoffDelay(deps.retry, attempt, retryAfterMs) };
}
