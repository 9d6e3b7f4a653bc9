import { PermanentError, RetryableError } from '@notify/errors';
import { httpFailure } from './http-failure';

const reply = (status: number, headers: Record<string, string> = {}) => ({ status, headers, text: '' });

describe('httpFailure', () => {
  it('retries 429 honouring Retry-After seconds', () => {
    const error = httpFailure('slack', reply(429, { 'retry-after': '7' }), 'rate_limited');
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(7000);
  });

  it('uses the provider body hint when there is no Retry-After header', () => {
    expect((httpFailure('discord', reply(429), 'slow down', 1250) as RetryableError).retryAfterMs).toBe(1250);
  });

  it('retries 5xx and 408', () => {
    expect(httpFailure('teams', reply(503), '')).toBeInstanceOf(RetryableError);
    expect(httpFailure('teams', reply(408), '')).toBeInstanceOf(RetryableError);
  });

  it('makes other 4xx permanent with the provider reason', () => {
    const error = httpFailure('slack', reply(404), 'channel_not_found');
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('http_404');
    expect(error.message).toContain('channel_not_found');
  });

  it('refuses redirects', () => {
    expect(httpFailure('discord', reply(302), '').code).toBe('redirect_refused');
  });
});
