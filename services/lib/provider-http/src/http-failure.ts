/**
 * The HTTP outcome rule every provider shares: 429, 408 and 5xx are worth retrying (honouring
 * Retry-After), redirects are refused, any other non-2xx is permanent and carries the provider's reason.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import { retryAfterMs } from './retry-after';
import type { HttpReply } from './guarded-client';

export function isSuccess(reply: HttpReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** The error for a non-2xx reply; `reason` is what the provider said, already extracted from its body. */
export function httpFailure(
  provider: string,
  reply: HttpReply,
  reason: string,
  retryAfterOverrideMs?: number,
): RetryableError | PermanentError {
  const said = reason ? `: ${reason}` : '';
  if (isRetryableStatus(reply.status)) {
    const wait = retryAfterMs(reply.headers['retry-after']) ?? retryAfterOverrideMs;
    return new RetryableError(
      `http_${reply.status}`,
      `${provider} answered ${reply.status}${said}`,
      wait === undefined ? {} : { retryAfterMs: wait },
    );
  }
  if (reply.status >= 300 && reply.status < 400)
    return new PermanentError('redirect_refused', `${provider} answered ${reply.status}; redirects are not followed`);
  return new PermanentError(`http_${reply.status}`, `${provider} answered ${reply.status}${said}`);
}

/** Parses a JSON body, or undefined when it is not JSON (errors are often plain text). */
export function jsonOf(reply: HttpReply): unknown {
  try {
    return JSON.parse(reply.text);
  } catch {
    return undefined;
  }
}

/** A short, single-line excerpt of a body, for reasons from providers that answer in plain text. */
export function excerpt(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
