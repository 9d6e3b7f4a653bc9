import { PermanentError, RetryableError } from '@notify/errors';
import { foldOutcomes, type DeviceOutcome, type TargetOutcome } from './push-outcome';
import { SubscriptionGoneError } from './subscription-gone';

const on = (...outcomes: TargetOutcome[]): DeviceOutcome[] => outcomes.map((outcome, i) => ({ device: `android app …${i}`, outcome }));
const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('foldOutcomes', () => {
  it('retries when any device failed transiently, waiting the longest Retry-After', () => {
    const error = thrown(() =>
      foldOutcomes(
        on(
          { kind: 'sent', ref: 'r1' },
          { kind: 'retry', error: new RetryableError('http_429', 'a', { retryAfterMs: 500 }) },
          { kind: 'retry', error: new RetryableError('http_503', 'b', { retryAfterMs: 2000 }) },
        ),
      ),
    );
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(2000);
    expect((error as RetryableError).message).toContain('"outcome":"retrying","reason":"http_503"');
  });

  it('succeeds when some device was reached and the rest are gone or failed for good, listing each device', () => {
    const result = foldOutcomes(
      on(
        { kind: 'gone', statusCode: 410, reason: 'Unregistered' },
        { kind: 'sent', ref: 'r1' },
        { kind: 'permanent', error: new PermanentError('http_400', 'x') },
      ),
    );
    expect(result.providerRef).toBe('r1');
    expect(JSON.parse(result.detail ?? '')).toEqual({
      devices: [
        { device: 'android app …0', outcome: 'gone', reason: 'Unregistered' },
        { device: 'android app …1', outcome: 'delivered', ref: 'r1' },
        { device: 'android app …2', outcome: 'failed', reason: 'http_400' },
      ],
    });
  });

  it('fails permanently with the first permanent error when nothing was reached', () => {
    expect(() =>
      foldOutcomes(
        on(
          { kind: 'gone', statusCode: 404, reason: 'UNREGISTERED' },
          { kind: 'permanent', error: new PermanentError('http_413', 'too large') },
        ),
      ),
    ).toThrow(expect.objectContaining({ code: 'http_413' }));
  });

  it('reports subscription_gone only when every device is gone or skipped', () => {
    expect(() => foldOutcomes(on({ kind: 'gone', statusCode: 410, reason: 'gone' }, { kind: 'skipped', reason: 'moved' }))).toThrow(
      SubscriptionGoneError,
    );
  });
});
