/**
 * APNs answers as outcomes, by status and the `reason` in the JSON body (never by text matching).
 * 410 (Unregistered, ExpiredToken) and 400 BadDeviceToken mean the token will never work again: it is
 * removed. 429 and 5xx retry (with Retry-After when APNs gives one). 403 with a provider-token
 * reason is about our credentials: ExpiredProviderToken is retried with a new token, the others are
 * permanent with a reason that names the key. Everything else is a permanent refusal of this request.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import { retryAfterMs } from '@notify/provider-http';
import type { TargetOutcome } from '../push-outcome';

const GONE = new Set(['Unregistered', 'ExpiredToken', 'BadDeviceToken']);
const CREDENTIALS = new Set(['InvalidProviderToken', 'MissingProviderToken', 'BadCertificate', 'BadCertificateEnvironment', 'Forbidden']);

export interface ApnsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  reason: string | null;
}

/** TooManyRequests → too_many_requests, for error codes like the other providers'. */
function snake(reason: string): string {
  return reason.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function apnsOutcome(reply: ApnsReply, app: string): TargetOutcome {
  const { status, reason } = reply;
  const code = reason ? `apns_${snake(reason)}` : `http_${status}`;
  const said = `APNs (${app}) answered ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 410 || (reason !== null && GONE.has(reason)))
    return { kind: 'gone', statusCode: status, reason: reason ?? 'Unregistered' };
  if (reason === 'ExpiredProviderToken')
    return { kind: 'retry', error: new RetryableError(code, `${said}; a new provider token is signed for the retry`) };
  if (status === 429 || status >= 500) {
    const wait = retryAfterMs(reply.headers['retry-after']);
    return { kind: 'retry', error: new RetryableError(code, said, wait === undefined ? {} : { retryAfterMs: wait }) };
  }
  if (status === 403 || (reason !== null && CREDENTIALS.has(reason))) {
    return {
      kind: 'permanent',
      error: new PermanentError(code, `${said}: the APNs key, key id or team id in the settings of ${app} is not accepted`),
    };
  }
  return { kind: 'permanent', error: new PermanentError(code, said) };
}
