import { EndpointGoneError, EndpointServerError, EndpointUnreachableError, endpointFailureOf } from './endpoint-errors';
import { disabledDetail, disableReason, type HealthRecord } from './endpoint-health';
import { PermanentError, RetryableError } from '@notify/errors';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const DAY = 24 * 3_600_000;
const policy = { disableAfterMs: 5 * DAY };

const record = (over: Partial<HealthRecord> = {}): HealthRecord => ({
  tenant: 'acme',
  endpoint: '0123456789abcdef',
  failingSince: new Date(T0),
  lastFailureAt: new Date(T0),
  lastError: 'http_503: webhook endpoint answered 503',
  failures: 1,
  disabledAt: null,
  disabledReason: null,
  ...over,
});

describe('what a failed send says about the endpoint', () => {
  it('classes by type: no answer, a server failure, gone, or nothing about its health', () => {
    expect(endpointFailureOf(new EndpointUnreachableError('UND_ERR_HEADERS_TIMEOUT', 'timed out'))).toBe('unreachable');
    expect(endpointFailureOf(new EndpointServerError('http_503', 'answered 503'))).toBe('server');
    expect(endpointFailureOf(new EndpointGoneError('http_410', 'gone'))).toBe('gone');
    // A 429 is alive and throttling; a 4xx is our request's fault; neither says the endpoint is down.
    expect(endpointFailureOf(new RetryableError('http_429', 'slow down'))).toBe('none');
    expect(endpointFailureOf(new PermanentError('http_400', 'bad request'))).toBe('none');
    expect(endpointFailureOf(new Error('bug'))).toBe('none');
  });
});

describe('disableReason', () => {
  it('keeps sending while the streak is shorter than the setting, and disables once it is longer', () => {
    expect(disableReason(record(), 'server', policy, T0 + 5 * DAY - 1)).toBeNull();
    const reason = disableReason(record({ failures: 812 }), 'unreachable', policy, T0 + 5 * DAY);
    expect(reason).toMatch(/failing since 2026-12-01T00:00:00.000Z without a success \(812 failures/);
    expect(reason).toMatch(/last: http_503/);
  });

  it('counts a 410 Gone as one more failure of the streak, not as a disable on its own', () => {
    expect(disableReason(record(), 'gone', policy, T0)).toBeNull();
    expect(disableReason(record({ lastError: 'http_410: webhook endpoint answered 410 Gone' }), 'gone', policy, T0 + 5 * DAY)).toMatch(
      /last: http_410/,
    );
  });

  it('never disables with the setting at 0, nor an endpoint disabled already, nor for a failure that does not count', () => {
    expect(disableReason(record(), 'server', { disableAfterMs: 0 }, T0 + 100 * DAY)).toBeNull();
    expect(disableReason(record({ disabledAt: new Date(T0 + DAY) }), 'server', policy, T0 + 10 * DAY)).toBeNull();
    expect(disableReason(record(), 'none', policy, T0 + 10 * DAY)).toBeNull();
    expect(disableReason(record({ failingSince: null }), 'server', policy, T0 + 10 * DAY)).toBeNull();
  });
});

describe('disabledDetail', () => {
  it('names the endpoint, when, why, and how to bring it back', () => {
    const detail = disabledDetail({ endpoint: '0123456789abcdef', disabledAt: new Date(T0), disabledReason: 'failing since x' });
    expect(detail).toBe(
      'webhook endpoint 0123456789abcdef was disabled at 2026-12-01T00:00:00.000Z: failing since x; not sent. ' +
        'Re-enable it with POST /v1/admin/webhook-endpoints/enable, which replays what it missed',
    );
  });
});
