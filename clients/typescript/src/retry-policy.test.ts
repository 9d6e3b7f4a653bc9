import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { retries: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 };

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => expect(isRetryableStatus(status, undefined)).toBe(true));
  it.each([400, 401, 403, 404, 409, 413, 422])('does not retry %i', (status) => expect(isRetryableStatus(status, 'x')).toBe(false));
  it('retries a 409 only when the same key is still being answered', () => {
    expect(isRetryableStatus(409, 'idempotency_key_in_flight')).toBe(true);
    expect(isRetryableStatus(409, 'idempotency_key_reused')).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delay-seconds', () => expect(parseRetryAfter(' 3 ', now)).toBe(3_000));
  it('reads an HTTP date as the time left until it', () => expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7_000));
  it('treats a date in the past as no wait', () => expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0));
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('stays within a ceiling that doubles each retry up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
  });
  it('is spread over the whole range from zero (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });
});

describe('retryDelay', () => {
  it('uses the server Retry-After as it is, not the backoff', () => expect(retryDelay(0, 2_500, policy, () => 0)).toBe(2_500));
  it('ends the call when Retry-After asks for longer than the client will wait', () => expect(retryDelay(0, 10_001, policy)).toBeNull());
  it('ends the call once the retries are used up', () => {
    expect(retryDelay(3, undefined, policy, () => 0.5)).toBe(400);
    expect(retryDelay(4, undefined, policy, () => 0.5)).toBeNull();
    expect(retryDelay(0, 0, { ...DEFAULT_RETRY_POLICY, retries: 0 })).toBeNull();
  });
});
