import { PermanentError, RetryableError } from '@notify/errors';
import { foldOutcomes } from './push-outcome';
import { SubscriptionGoneError } from './subscription-gone';

describe('foldOutcomes', () => {
  it('retries when any device failed transiently, waiting the longest Retry-After', () => {
    const error = (() => {
      try {
        foldOutcomes([{ kind: 'sent', ref: 'r1' }, { kind: 'retry', error: new RetryableError('http_429', 'a', { retryAfterMs: 500 }) }, { kind: 'retry', error: new RetryableError('http_503', 'b', { retryAfterMs: 2000 }) }]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(2000);
  });

  it('succeeds when some device was reached and the rest are gone or failed for good', () => {
    expect(foldOutcomes([{ kind: 'gone' }, { kind: 'sent', ref: 'r1' }, { kind: 'permanent', error: new PermanentError('http_400', 'x') }])).toEqual({ providerRef: 'r1' });
  });

  it('fails permanently with the first permanent error when nothing was reached', () => {
    expect(() => foldOutcomes([{ kind: 'gone' }, { kind: 'permanent', error: new PermanentError('http_413', 'too large') }])).toThrow(expect.objectContaining({ code: 'http_413' }));
  });

  it('reports subscription_gone only when every device is gone', () => {
    expect(() => foldOutcomes([{ kind: 'gone' }, { kind: 'gone' }])).toThrow(SubscriptionGoneError);
  });
});
