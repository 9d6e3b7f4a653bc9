import { backoffDelay, sleep, type BackoffPolicy } from './backoff';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 1_000 };
const lowest = () => 0;
const highest = () => 0.999999;

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt, starting at initialMs', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, undefined, highest))).toEqual([100, 200, 400, 800]);
  });

  it('never waits less than half the ceiling (jitter covers the upper half)', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, undefined, lowest))).toEqual([50, 100, 200, 400]);
  });

  it('caps the ceiling at maxMs however many attempts were made', () => {
    expect(backoffDelay(policy, 5, undefined, highest)).toBe(1_000);
    expect(backoffDelay(policy, 60, undefined, highest)).toBe(1_000);
    expect(backoffDelay(policy, 60, undefined, lowest)).toBe(500);
  });

  it('treats attempt 0 and negative attempts like the first attempt', () => {
    expect(backoffDelay(policy, 0, undefined, highest)).toBe(100);
    expect(backoffDelay(policy, -3, undefined, highest)).toBe(100);
  });

  it('stays within [ceiling/2, ceiling] for any random draw', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(policy, 3);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  it("honours the server's Retry-After instead of the exponential schedule", () => {
    expect(backoffDelay(policy, 1, 750, highest)).toBe(750);
    expect(backoffDelay(policy, 4, 0, highest)).toBe(0);
  });

  it('caps Retry-After at maxMs', () => {
    expect(backoffDelay(policy, 1, 60_000, highest)).toBe(1_000);
  });

  it('ignores a negative Retry-After', () => {
    expect(backoffDelay(policy, 2, -5, highest)).toBe(200);
  });
});

describe('sleep', () => {
  it('resolves after roughly the given time', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
