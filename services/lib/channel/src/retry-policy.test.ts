import { RETRY_POLICIES, retryDelayMs, retryPolicyFor } from './retry-policy';

describe('retry policy', () => {
  it('follows seed 002: email waits 1, 5, 15 minutes and retries 3 times', () => {
    const email = RETRY_POLICIES.email;
    expect(email.maxRetries).toBe(3);
    expect([0, 1, 2].map((i) => retryDelayMs(email, i))).toEqual([60_000, 300_000, 900_000]);
  });

  it('doubles webhook delays per retry (seed 002 exponential_backoff)', () => {
    expect([0, 1, 2].map((i) => retryDelayMs(RETRY_POLICIES.webhook, i))).toEqual([30_000, 120_000, 480_000]);
  });

  it('repeats the last delay and caps at maxDelayMs', () => {
    expect(retryDelayMs(RETRY_POLICIES.sms, 7)).toBe(600_000);
    expect(retryDelayMs(RETRY_POLICIES.webhook, 4)).toBe(9_600_000);
    expect(retryDelayMs(RETRY_POLICIES.webhook, 6)).toBe(6 * 3600_000);
  });

  it("takes the provider's Retry-After over the table, capped", () => {
    expect(retryDelayMs(RETRY_POLICIES.email, 0, 2_000)).toBe(2_000);
    expect(retryDelayMs(RETRY_POLICIES.email, 0, 0)).toBe(0);
    expect(retryDelayMs(RETRY_POLICIES.email, 0, 10 * 3600_000)).toBe(3600_000);
  });

  it('applies deployment overrides without exponential growth', () => {
    const policy = retryPolicyFor('webhook', { maxRetries: 1, delaysMs: [100, 200] });
    expect(policy.maxRetries).toBe(1);
    expect([0, 1, 2].map((i) => retryDelayMs(policy, i))).toEqual([100, 200, 200]);
    expect(retryPolicyFor('sms')).toEqual(RETRY_POLICIES.sms);
  });
});
