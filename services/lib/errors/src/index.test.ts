import { errorCode, errorMessage, InvalidInputError, isRetryable, PermanentError, PipelineError, RetryableError } from './index';

describe('pipeline errors', () => {
  it('marks RetryableError retryable and carries Retry-After', () => {
    const error = new RetryableError('http_503', 'upstream unavailable', { retryAfterMs: 1500 });
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(1500);
    expect(error.code).toBe('http_503');
    expect(isRetryable(error)).toBe(true);
  });

  it('leaves retryAfterMs undefined when the other side gave none', () => {
    expect(new RetryableError('timeout', 'timed out').retryAfterMs).toBeUndefined();
  });

  it('marks PermanentError and InvalidInputError not retryable', () => {
    expect(isRetryable(new PermanentError('http_400', 'bad request'))).toBe(false);
    expect(isRetryable(new InvalidInputError('undecodable', 'not avro'))).toBe(false);
  });

  it('decides retryability from the class, not the message or code', () => {
    expect(isRetryable(new PermanentError('timeout', 'temporarily unavailable, retry later'))).toBe(false);
    expect(isRetryable(new RetryableError('invalid', 'permanent failure'))).toBe(true);
  });

  it('keeps retryability through subclasses', () => {
    class RateLimited extends RetryableError {}
    class Gone extends PermanentError {}
    expect(isRetryable(new RateLimited('http_429', 'slow down'))).toBe(true);
    expect(isRetryable(new Gone('http_410', 'gone'))).toBe(false);
  });

  it('treats unknown errors and non-errors as retryable, so a bug never drops a record', () => {
    expect(isRetryable(new Error('bug'))).toBe(true);
    expect(isRetryable(new TypeError('x is undefined'))).toBe(true);
    expect(isRetryable('a string')).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
  });

  it('names each error after its class and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const error = new RetryableError('network', 'request failed', { cause });
    expect(error.name).toBe('RetryableError');
    expect(new PermanentError('x', 'y').name).toBe('PermanentError');
    expect(new InvalidInputError('x', 'y').name).toBe('InvalidInputError');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toBeInstanceOf(Error);
  });

  it("reports a pipeline error's code and 'unexpected' for anything else", () => {
    expect(errorCode(new PermanentError('destination_refused', 'no'))).toBe('destination_refused');
    expect(errorCode(new Error('boom'))).toBe('unexpected');
    expect(errorCode(42)).toBe('unexpected');
  });

  it('gives the message of errors and the string form of anything else', () => {
    expect(errorMessage(new InvalidInputError('c', 'field x is bad'))).toBe('field x is bad');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(7)).toBe('7');
  });
});
