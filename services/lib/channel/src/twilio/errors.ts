/**
 * Twilio's 4xx answers (a RestException with Twilio's error code) as pipeline errors. 429 and 5xx
 * were already turned into RetryableError by the HTTP client.
 */
import { isRetryable, PermanentError, RetryableError } from '@notify/errors';
import { AddressOptedOutError } from '../provider';

/** Twilio error codes that mean "this number does not take messages from us any more". */
const OPTED_OUT = new Set([21610]);
/** Codes worth another try although answered with 4xx (queue overflow, rate limits). */
const TRANSIENT = new Set([20429, 30001, 14107]);

export function twilioFailure(error: unknown, what: string): Error {
  if (error instanceof RetryableError || error instanceof PermanentError) return error;
  const e = error as { status?: number; code?: number; message?: string; moreInfo?: string };
  if (typeof e.status === 'number') {
    const reason = `${what} refused by twilio (${e.status}${e.code ? `, error ${e.code}` : ''}): ${e.message ?? 'no message'}`;
    if (e.code !== undefined && OPTED_OUT.has(e.code)) return new AddressOptedOutError(`twilio_${e.code}`, reason);
    if (e.code !== undefined && TRANSIENT.has(e.code)) return new RetryableError(`twilio_${e.code}`, reason);
    return new PermanentError(e.code ? `twilio_${e.code}` : `http_${e.status}`, reason);
  }
  return isRetryable(error)
    ? new RetryableError('provider_error', `${what} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error })
    : (error as Error);
}
