/**
 * GET/PUT /v1/prefs and /v1/contacts against the real Postgres and Kafka: validation, read-your-writes,
 * the record on the compacted topic equals the answer, and a failed publish changes nothing.
 */
import type { Preferences, Recipient } from '@notify/schemas';
import type { TopicReader } from '../../../tests/support/topic-reader';
import { newPhone, newUserId, recordsOf, startHarness, type Harness, type Reply, type ServedApp } from './preferences-harness';

jest.setTimeout(60_000);

let h: Harness;
let preferences: TopicReader<Preferences>;
let recipients: TopicReader<Recipient>;

beforeAll(async () => {
  h = await startHarness();
  [preferences, recipients] = await Promise.all([
    h.reader<Preferences>('notifications.preferences'),
    h.reader<Recipient>('notifications.recipients'),
  ]);
}, 120_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

function call(userId: string | null, method: Method, url: string, body?: unknown, target?: ServedApp): Promise<Reply> {
  return h.call(userId, method, url, body, target);
}

const key = (userId: string) => `${h.tenant}/${userId}`;

const FULL = {
  channels: { email: true, sms: false, inapp: true },
  types: { MARGIN_CALL: { sms: true, voice: true }, ORDER_FILLED: { email: false } },
  severity_filter: 'warning_and_above',
  frequency_limits: { ORDER_FILLED: 10, MARGIN_CALL: 0 },
  quiet_hours: { start: '22:00', end: '07:00', timezone: 'Europe/London' },
};

describe('GET/PUT /v1/prefs', () => {
  it('refuses callers without a valid token', async () => {
    expect((await call(null, 'GET', '/v1/prefs')).statusCode).toBe(401);
    expect((await call(null, 'PUT', '/v1/prefs', FULL)).statusCode).toBe(401);
    const forged = await fetch(`${h.served.baseUrl}/v1/prefs`, { headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
  });

  it('returns the defaults for a user who never saved any', async () => {
    const res = await call(newUserId(), 'GET', '/v1/prefs');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      channels: {},
      types: {},
      severity_filter: 'all',
      frequency_limits: {},
      quiet_hours: null,
      updated_at: null,
    });
  });

  it('stores a PUT, shows it on the very next GET and publishes exactly that record', async () => {
    const user = newUserId();
    const put = await call(user, 'PUT', '/v1/prefs', FULL);
    expect(put.statusCode).toBe(200);
    const saved = put.json();
    expect(saved).toEqual({ ...FULL, updated_at: new Date(h.clock.now).toISOString() });

    const get = await call(user, 'GET', '/v1/prefs');
    expect(get.json()).toEqual(saved);

    const [record] = await recordsOf(preferences, key(user), 1);
    expect(record).toEqual({ tenant: h.tenant, user_id: user, ...FULL, updated_at: Date.parse(saved.updated_at) });
  });

  it("takes POST as PUT, as seed 001's clients send it", async () => {
    const user = newUserId();
    const posted = await call(user, 'POST', '/v1/prefs', FULL);
    expect(posted.statusCode).toBe(200);
    expect((await call(user, 'GET', '/v1/prefs')).json()).toEqual(posted.json());
    const [record] = await recordsOf(preferences, key(user), 1);
    expect(record).toMatchObject({ tenant: h.tenant, user_id: user, ...FULL });
  });

  it('publishes each change as the new full record, so the next event sees the latest one', async () => {
    const user = newUserId();
    await call(user, 'PUT', '/v1/prefs', FULL);
    h.clock.now += 1000;
    const change = { channels: { email: false }, severity_filter: 'critical_only', quiet_hours: null };
    const second = await call(user, 'PUT', '/v1/prefs', change);
    expect(second.statusCode).toBe(200);
    // PUT replaces the document: what the body leaves out is back to its default.
    expect(second.json()).toEqual({
      channels: { email: false },
      types: {},
      severity_filter: 'critical_only',
      frequency_limits: {},
      quiet_hours: null,
      updated_at: new Date(h.clock.now).toISOString(),
    });
    expect((await call(user, 'GET', '/v1/prefs')).json()).toEqual(second.json());

    const records = await recordsOf(preferences, key(user), 2);
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual({
      tenant: h.tenant,
      user_id: user,
      channels: { email: false },
      types: {},
      severity_filter: 'critical_only',
      frequency_limits: {},
      quiet_hours: null,
      updated_at: h.clock.now,
    });
  });

  it('publishes racing writes of one user in the order they reach the database', async () => {
    const user = newUserId();
    const slow = await h.appWithSlowFirstPublish(500);
    const first = call(user, 'PUT', '/v1/prefs', { severity_filter: 'critical_only' }, slow);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = call(user, 'PUT', '/v1/prefs', { severity_filter: 'warning_and_above' });
    expect([(await first).statusCode, (await second).statusCode]).toEqual([200, 200]);
    // The second write waited for the first to be published and committed, so it is last in both places.
    expect((await call(user, 'GET', '/v1/prefs')).json().severity_filter).toBe('warning_and_above');
    const records = await recordsOf(preferences, key(user), 2);
    expect(records.map((r) => r.severity_filter)).toEqual(['critical_only', 'warning_and_above']);
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown channel', { channels: { fax: true } }, ['channels.fax']],
    ['a non-boolean switch', { channels: { email: 'on' } }, ['channels.email']],
    ['an unknown channel under a type', { types: { MARGIN_CALL: { telegram: true } } }, ['types.MARGIN_CALL.telegram']],
    ['a malformed event type', { types: { 'margin call': { sms: true } } }, ['types.margin call']],
    ['an unknown severity filter', { severity_filter: 'critical' }, ['severity_filter']],
    ['a limit over 1000', { frequency_limits: { ORDER_FILLED: 1001 } }, ['frequency_limits.ORDER_FILLED']],
    ['a negative limit', { frequency_limits: { ORDER_FILLED: -1 } }, ['frequency_limits.ORDER_FILLED']],
    ['a fractional limit', { frequency_limits: { ORDER_FILLED: 1.5 } }, ['frequency_limits.ORDER_FILLED']],
    ['a time that is not HH:MM', { quiet_hours: { start: '10pm', end: '07:00' } }, ['quiet_hours.start']],
    ['an hour of 24', { quiet_hours: { start: '22:00', end: '24:00' } }, ['quiet_hours.end']],
    ['an unknown time zone', { quiet_hours: { start: '22:00', end: '07:00', timezone: 'Europe/Gotham' } }, ['quiet_hours.timezone']],
    ['an unknown top-level field', { channel: { email: true } }, ['channel']],
    [
      'several problems at once',
      { severity_filter: 'x', frequency_limits: { A: 'ten' }, extra: 1 },
      ['extra', 'frequency_limits.A', 'severity_filter'],
    ],
    ['a body that is not an object', [FULL], ['(body)']],
  ])('answers 400 with field errors for %s, and saves nothing', async (_name, body, fields) => {
    const user = newUserId();
    const res = await call(user, 'PUT', '/v1/prefs', body);
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('invalid_preferences');
    expect(error.fields.map((f: { field: string }) => f.field).sort()).toEqual(fields);
    expect(error.fields.every((f: { message: string }) => f.message.length > 0)).toBe(true);
    expect((await call(user, 'GET', '/v1/prefs')).json().updated_at).toBeNull();
  });

  it('answers 400 in the same shape for a body that is not JSON', async () => {
    const res = await call(newUserId(), 'PUT', '/v1/prefs', '{"channels": {');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('answers 503 and keeps the previous preferences when the record cannot be published', async () => {
    const user = newUserId();
    const first = (await call(user, 'PUT', '/v1/prefs', FULL)).json();
    const failing = await h.appWithFailingProducer();
    const res = await call(user, 'PUT', '/v1/prefs', { severity_filter: 'critical_only' }, failing);
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('unavailable');
    expect((await call(user, 'GET', '/v1/prefs')).json()).toEqual(first);

    // Nothing reached the topic either: the record after the first is the next successful change.
    h.clock.now += 1000;
    await call(user, 'PUT', '/v1/prefs', { severity_filter: 'all' });
    const records = await recordsOf(preferences, key(user), 2);
    expect(records.map((r) => r.severity_filter)).toEqual(['warning_and_above', 'all']);
  });

  it('does not create a row when the first write of a user cannot be published', async () => {
    const user = newUserId();
    const failing = await h.appWithFailingProducer();
    expect((await call(user, 'PUT', '/v1/prefs', FULL, failing)).statusCode).toBe(503);
    const row = await h.db
      .selectFrom('user_preferences')
      .selectAll()
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});

const P256DH = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 3)]).toString('base64url');
const AUTH = Buffer.alloc(16, 5).toString('base64url');

describe('/v1/contacts', () => {
  it('shows the defaults for a user without contacts', async () => {
    const res = await call(newUserId(), 'GET', '/v1/contacts');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      email: null,
      email_verified: false,
      phone: null,
      phone_verified: false,
      timezone: 'UTC',
      locale: 'en',
      push_subscriptions: [],
      devices: [],
      chat: {},
      audiences: [],
      opted_out: [],
      updated_at: null,
    });
  });

  it('stores every kind of contact point, reads it back at once and publishes the full Recipient each time', async () => {
    const user = newUserId();
    const phone = newPhone();
    const steps: Array<[Method, string, unknown]> = [
      ['PUT', '/v1/contacts/email', { email: 'Ada@Example.com' }],
      ['PUT', '/v1/contacts/phone', { phone: `${phone.slice(0, 3)} ${phone.slice(3)}` }],
      [
        'POST',
        '/v1/contacts/push-subscriptions',
        { endpoint: 'https://push.example.com/send/device-1', expirationTime: null, keys: { p256dh: P256DH, auth: AUTH } },
      ],
      ['PUT', '/v1/contacts/chat/slack', { url: 'https://hooks.slack.com/services/T0/B0/abc' }],
      ['PUT', '/v1/contacts/chat/webhook', { url: 'https://example.com/notify' }],
      ['PUT', '/v1/contacts/chat/pagerduty', { routing_key: 'R0UT1NGKEY0000000000000000000001' }],
      ['PUT', '/v1/contacts/profile', { timezone: 'America/New_York', locale: 'en-us' }],
    ];
    let last: Reply | undefined;
    for (const [method, url, body] of steps) {
      h.clock.now += 1000;
      last = await call(user, method, url, body);
      expect({ url, status: last.statusCode }).toEqual({ url, status: 200 });
    }
    const view = last!.json();
    expect(view).toEqual({
      email: 'Ada@example.com',
      email_verified: false,
      phone,
      phone_verified: false,
      timezone: 'America/New_York',
      locale: 'en-US',
      push_subscriptions: [{ endpoint: 'https://push.example.com/send/device-1' }],
      devices: [expect.objectContaining({ platform: 'web', endpoint: 'https://push.example.com/send/device-1', app_id: null })],
      chat: {
        slack: 'https://hooks.slack.com/services/T0/B0/abc',
        webhook: 'https://example.com/notify',
        pagerduty: 'R0UT1NGKEY0000000000000000000001',
      },
      audiences: [],
      opted_out: [],
      updated_at: new Date(h.clock.now).toISOString(),
    });
    expect((await call(user, 'GET', '/v1/contacts')).json()).toEqual(view);

    const records = await recordsOf(recipients, key(user), steps.length);
    expect(records).toHaveLength(steps.length);
    expect(records[steps.length - 1]).toEqual({
      tenant: h.tenant,
      user_id: user,
      email: 'Ada@example.com',
      email_verified: false,
      phone,
      phone_verified: false,
      timezone: 'America/New_York',
      locale: 'en-US',
      audiences: [],
      opted_out: [],
      devices: [],
      push_subscriptions: [{ endpoint: 'https://push.example.com/send/device-1', p256dh: P256DH, auth: AUTH }],
      chat: view.chat,
      updated_at: h.clock.now,
    });
  });

  it('replaces a push subscription by endpoint and removes subscriptions and chat destinations', async () => {
    const user = newUserId();
    const sub = (n: number, fill: number) => ({
      endpoint: `https://push.example.com/send/${n}`,
      keys: { p256dh: P256DH, auth: Buffer.alloc(16, fill).toString('base64url') },
    });
    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(1, 1));
    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(2, 2));
    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(1, 9));
    await call(user, 'PUT', '/v1/contacts/chat/discord', { url: 'https://discord.com/api/webhooks/1/x' });
    expect((await call(user, 'GET', '/v1/contacts')).json().push_subscriptions).toEqual([
      { endpoint: 'https://push.example.com/send/2' },
      { endpoint: 'https://push.example.com/send/1' },
    ]);

    // The endpoint may come as a query parameter, for clients that send no body with DELETE.
    expect(
      (await call(user, 'DELETE', `/v1/contacts/push-subscriptions?endpoint=${encodeURIComponent('https://push.example.com/send/2')}`))
        .statusCode,
    ).toBe(200);
    const missing = await call(user, 'DELETE', '/v1/contacts/push-subscriptions', { endpoint: 'https://push.example.com/send/2' });
    expect(missing.statusCode).toBe(404);
    expect((await call(user, 'DELETE', '/v1/contacts/chat/discord')).statusCode).toBe(200);

    const view = (await call(user, 'GET', '/v1/contacts')).json();
    expect(view.push_subscriptions).toEqual([{ endpoint: 'https://push.example.com/send/1' }]);
    expect(view.chat).toEqual({});
    const records = await recordsOf(recipients, key(user), 6);
    expect(records[5]!.push_subscriptions).toEqual([
      { endpoint: 'https://push.example.com/send/1', p256dh: P256DH, auth: Buffer.alloc(16, 9).toString('base64url') },
    ]);
    expect(records[5]!.chat).toEqual({});
  });

  it("shows and publishes the provider opt-outs of the user's addresses, and follows a new number or a START", async () => {
    const user = newUserId();
    const phone = newPhone();
    const other = newPhone();
    await call(user, 'PUT', '/v1/contacts/phone', { phone });
    // What channel-sms records when Twilio answers 21610 or the number texts STOP.
    await h.db.insertInto('channel_opt_outs').values({ channel: 'sms', address: phone, source: 'twilio:21610' }).execute();
    try {
      expect((await call(user, 'GET', '/v1/contacts')).json().opted_out).toEqual(['sms']);
      await call(user, 'PUT', '/v1/contacts/profile', { timezone: 'Europe/Paris', locale: 'fr' });
      let records = await recordsOf(recipients, key(user), 2);
      expect(records[1]!.opted_out).toEqual(['sms']);

      await call(user, 'PUT', '/v1/contacts/phone', { phone: other });
      records = await recordsOf(recipients, key(user), 3);
      expect(records[2]!.opted_out).toEqual([]);

      await call(user, 'PUT', '/v1/contacts/phone', { phone });
      expect((await call(user, 'GET', '/v1/contacts')).json().opted_out).toEqual(['sms']);
      await h.db.deleteFrom('channel_opt_outs').where('address', '=', phone).execute();
      expect((await call(user, 'GET', '/v1/contacts')).json().opted_out).toEqual([]);
    } finally {
      await h.db.deleteFrom('channel_opt_outs').where('address', '=', phone).execute();
    }
  });

  it('leaves out and drops subscriptions the push service reported gone, until the browser subscribes again', async () => {
    const user = newUserId();
    const sub = (n: number) => ({ endpoint: `https://push.example.com/gone/${n}`, keys: { p256dh: P256DH, auth: AUTH } });
    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(1));
    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(2));
    // What channel-push writes when the push service answers 410 for endpoint 1.
    await h.db
      .insertInto('push_subscription_removals')
      .values({
        tenant: h.tenant,
        user_id: user,
        endpoint: sub(1).endpoint,
        status_code: 410,
        reason: 'unsubscribed',
        notification_id: `ntf-${user}`,
      })
      .execute();
    expect((await call(user, 'GET', '/v1/contacts')).json().push_subscriptions).toEqual([{ endpoint: sub(2).endpoint }]);

    // The next publish, whatever it changes, carries the Recipient record without the gone endpoint.
    await call(user, 'PUT', '/v1/contacts/chat/slack', { url: 'https://hooks.slack.com/services/T0/B0/x' });
    let records = await recordsOf(recipients, key(user), 3);
    expect(records[2]!.push_subscriptions.map((s) => s.endpoint)).toEqual([sub(2).endpoint]);

    await call(user, 'POST', '/v1/contacts/push-subscriptions', sub(1));
    records = await recordsOf(recipients, key(user), 4);
    expect(records[3]!.push_subscriptions.map((s) => s.endpoint)).toEqual([sub(2).endpoint, sub(1).endpoint]);
    expect((await call(user, 'GET', '/v1/contacts')).json().push_subscriptions).toEqual([
      { endpoint: sub(2).endpoint },
      { endpoint: sub(1).endpoint },
    ]);
    const left = await h.db
      .selectFrom('push_subscription_removals')
      .select('endpoint')
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .execute();
    expect(left).toEqual([]);
  });

  it.each<[string, Method, string, unknown, string[]]>([
    ['a malformed email', 'PUT', '/v1/contacts/email', { email: 'ada-at-example' }, ['email']],
    ['a phone number without country code', 'PUT', '/v1/contacts/phone', { phone: '07700 900123' }, ['phone']],
    [
      'a push endpoint over http',
      'POST',
      '/v1/contacts/push-subscriptions',
      { endpoint: 'http://push.example.com/1', keys: { p256dh: P256DH, auth: AUTH } },
      ['endpoint'],
    ],
    [
      'push keys of the wrong size',
      'POST',
      '/v1/contacts/push-subscriptions',
      { endpoint: 'https://push.example.com/1', keys: { p256dh: AUTH, auth: AUTH } },
      ['keys.p256dh'],
    ],
    ['a chat URL over http', 'PUT', '/v1/contacts/chat/teams', { url: 'http://example.webhook.office.com/x' }, ['url']],
    ['a PagerDuty routing key that is not 32 characters', 'PUT', '/v1/contacts/chat/pagerduty', { routing_key: 'short' }, ['routing_key']],
    ['an unknown time zone', 'PUT', '/v1/contacts/profile', { timezone: 'Moon/Base' }, ['timezone']],
    ['an unknown field', 'PUT', '/v1/contacts/email', { email: 'a@example.com', primary: true }, ['primary']],
  ])('answers 400 with field errors for %s, and saves nothing', async (_name, method, url, body, fields) => {
    const user = newUserId();
    const res = await call(user, method, url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_contact');
    expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    expect((await call(user, 'GET', '/v1/contacts')).json().updated_at).toBeNull();
  });

  it('answers 404 for a chat channel that has no destination', async () => {
    const res = await call(newUserId(), 'PUT', '/v1/contacts/chat/fax', { url: 'https://example.com/x' });
    expect(res.statusCode).toBe(404);
  });

  it('answers 503 and keeps the previous contacts when the record cannot be published', async () => {
    const user = newUserId();
    const before = (await call(user, 'PUT', '/v1/contacts/email', { email: 'before@example.com' })).json();
    const failing = await h.appWithFailingProducer();
    const res = await call(user, 'PUT', '/v1/contacts/email', { email: 'after@example.com' }, failing);
    expect(res.statusCode).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await call(user, 'GET', '/v1/contacts')).json()).toEqual(before);
    h.clock.now += 1000;
    await call(user, 'PUT', '/v1/contacts/profile', { locale: 'fr' });
    const records = await recordsOf(recipients, key(user), 2);
    expect(records.map((r) => [r.email, r.locale])).toEqual([
      ['before@example.com', 'en'],
      ['before@example.com', 'fr'],
    ]);
  });
});
