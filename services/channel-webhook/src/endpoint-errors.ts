/**
 * The failures of a webhook send that say something about the endpoint's health, by type, so the
 * health bookkeeping and the circuit never read codes or messages. Retryable or not stays what it was.
 */
import { PermanentError, RetryableError } from '@notify/errors';

/** No HTTP answer at all: a timeout, a refused or reset connection. The slow kind, which the circuit counts. */
export class EndpointUnreachableError extends RetryableError {}

/** The endpoint answered that it cannot take the message now: 5xx or 408. */
export class EndpointServerError extends RetryableError {}

/** The endpoint answered 410 Gone: it says it no longer exists. */
export class EndpointGoneError extends PermanentError {}

/** The tenant's endpoint is disabled: nothing was sent. Permanent, so the dispatch is dead-lettered and replayed on re-enable. */
export class EndpointDisabledError extends PermanentError {
  constructor(message: string) {
    super('endpoint_disabled', message);
  }
}

/** What a failed send says about the endpoint: unreachable, failing, gone, or nothing (a 4xx, our own refusal). */
export type EndpointFailure = 'unreachable' | 'server' | 'gone' | 'none';

export function endpointFailureOf(error: unknown): EndpointFailure {
  if (error instanceof EndpointUnreachableError) return 'unreachable';
  if (error instanceof EndpointServerError) return 'server';
  if (error instanceof EndpointGoneError) return 'gone';
  return 'none';
}
