import {
  validateChatDestination,
  validateChatUrl,
  validateEmail,
  validatePhone,
  validateProfile,
  validatePushSubscription,
  validateRoutingKey,
} from './validate-contacts';

const P256DH = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');
const AUTH = Buffer.alloc(16, 9).toString('base64url');

function fields(result: { ok: boolean; problems?: Array<{ field: string }> }): string[] {
  if (result.ok) throw new Error('expected a refusal');
  return (result.problems ?? []).map((p) => p.field);
}

describe('contact validation', () => {
  it('accepts an email address, lower-casing only the domain', () => {
    expect(validateEmail({ email: ' Ada.Lovelace@Example.COM ' })).toEqual({ ok: true, value: 'Ada.Lovelace@example.com' });
  });

  it.each([{ email: 'no-at-sign' }, { email: 'a@b' }, { email: 'a b@c.de' }, {}, { email: 'a@b.co', name: 'x' }, 'a@b.co'])(
    'refuses email body %j',
    (body) => {
      expect(validateEmail(body).ok).toBe(false);
    },
  );

  it('normalises phone punctuation into E.164', () => {
    expect(validatePhone({ phone: '+44 (7700) 900-123' })).toEqual({ ok: true, value: '+447700900123' });
  });

  it.each(['07700900123', '+0123456789', '+1234', '+1234567890123456', 'call me'])('refuses phone %s', (phone) => {
    expect(fields(validatePhone({ phone }))).toEqual(['phone']);
  });

  it('accepts a browser push subscription and keeps its keys', () => {
    const result = validatePushSubscription({
      endpoint: 'https://push.example.com/send/abc',
      expirationTime: null,
      keys: { p256dh: P256DH, auth: AUTH },
    });
    expect(result).toEqual({ ok: true, value: { endpoint: 'https://push.example.com/send/abc', p256dh: P256DH, auth: AUTH } });
  });

  it('refuses push subscriptions with wrong keys or an insecure endpoint', () => {
    expect(fields(validatePushSubscription({ endpoint: 'http://push.example.com/x', keys: { p256dh: P256DH, auth: AUTH } }))).toEqual([
      'endpoint',
    ]);
    expect(fields(validatePushSubscription({ endpoint: 'https://push.example.com/x', keys: { p256dh: AUTH, auth: P256DH } }))).toEqual([
      'keys.p256dh',
      'keys.auth',
    ]);
    const compressed = Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 7)]).toString('base64url');
    expect(fields(validatePushSubscription({ endpoint: 'https://push.example.com/x', keys: { p256dh: compressed, auth: AUTH } }))).toEqual([
      'keys.p256dh',
    ]);
    expect(fields(validatePushSubscription({ endpoint: 'https://push.example.com/x' }))).toEqual(['keys']);
  });

  it('accepts https chat URLs and refuses others', () => {
    expect(validateChatUrl({ url: 'https://hooks.slack.com/services/T/B/X' })).toEqual({
      ok: true,
      value: 'https://hooks.slack.com/services/T/B/X',
    });
    expect(fields(validateChatUrl({ url: 'http://hooks.slack.com/services/T/B/X' }))).toEqual(['url']);
    expect(fields(validateChatUrl({ url: 'https://user:pw@example.com/hook' }))).toEqual(['url']);
    expect(fields(validateChatUrl({ url: 'not a url' }))).toEqual(['url']);
    expect(fields(validateChatUrl({ url: `https://example.com/${'a'.repeat(2048)}` }))).toEqual(['url']);
  });

  it('accepts a 32-character PagerDuty routing key and refuses others', () => {
    expect(validateRoutingKey({ routing_key: ' e93facc04764012d7bfb002500d5d1a6 ' })).toEqual({
      ok: true,
      value: 'e93facc04764012d7bfb002500d5d1a6',
    });
    expect(fields(validateRoutingKey({ routing_key: 'e93facc04764012d7bfb002500d5d1a' }))).toEqual(['routing_key']);
    expect(fields(validateRoutingKey({ routing_key: 'e93facc04764012d7bfb002500d5d1a6x' }))).toEqual(['routing_key']);
    expect(fields(validateRoutingKey({ routing_key: 'e93facc0-4764-012d-7bfb-002500d5d1' }))).toEqual(['routing_key']);
    expect(fields(validateRoutingKey({}))).toEqual(['routing_key']);
    expect(fields(validateRoutingKey({ url: 'https://events.pagerduty.com' }))).toEqual(['url', 'routing_key']);
  });

  it('takes a routing key for pagerduty and a URL for the other chat destinations', () => {
    expect(validateChatDestination('pagerduty', { routing_key: 'R0UT1NGKEY0000000000000000000001' })).toEqual({
      ok: true,
      value: 'R0UT1NGKEY0000000000000000000001',
    });
    expect(fields(validateChatDestination('pagerduty', { url: 'https://example.com/x' }))).toEqual(['url', 'routing_key']);
    expect(validateChatDestination('slack', { url: 'https://hooks.slack.com/services/T/B/X' })).toMatchObject({ ok: true });
    expect(fields(validateChatDestination('slack', { routing_key: 'R0UT1NGKEY0000000000000000000001' }))).toEqual(['routing_key', 'url']);
  });

  it('validates the profile time zone and canonicalises the locale', () => {
    expect(validateProfile({ timezone: 'America/New_York', locale: 'pt-br' })).toEqual({
      ok: true,
      value: { timezone: 'America/New_York', locale: 'pt-BR' },
    });
    expect(fields(validateProfile({ timezone: 'Europe/Atlantis', locale: 'not a locale!' }))).toEqual(['timezone', 'locale']);
    expect(fields(validateProfile({}))).toEqual(['(body)']);
  });
});
