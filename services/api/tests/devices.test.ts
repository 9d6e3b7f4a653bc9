/**
 * /v1/devices against the real Postgres and Kafka: registering native and browser devices, refreshing
 * one, a token moving to the user who registers it last (both users' records published), listing,
 * removal, the limit, validation, gone destinations, and the rows in the data export and erasure.
 */
import type { Recipient } from '@notify/schemas';
import type { TopicReader } from '../../../tests/support/topic-reader';
import { eraseUser, exportUser } from '../src/rights/user-data';
import { newUserId, recordsOf, startHarness, type Harness } from './preferences-harness';

jest.setTimeout(60_000);

let h: Harness;
let recipients: TopicReader<Recipient>;

beforeAll(async () => {
  h = await startHarness();
  recipients = await h.reader<Recipient>('notifications.recipients');
}, 120_000);

afterAll(async () => {
  await h?.db.deleteFrom('devices').where('tenant', '=', h.tenant).execute();
  await h?.db.deleteFrom('push_subscription_removals').where('tenant', '=', h.tenant).execute();
  await h?.close();
}, 60_000);

const key = (userId: string) => `${h.tenant}/${userId}`;
const fcmToken = (n: number) => `fcm:${'A'.repeat(40)}-${n}-${Math.random().toString(36).slice(2)}`;
const apnsToken = () => Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('hex');
const P256DH = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 3)]).toString('base64url');
const AUTH = Buffer.alloc(16, 5).toString('base64url');
const APP = 'com.example.trading';

describe('/v1/devices', () => {
  it('registers an Android, an iOS and a browser device, lists them and publishes them in the Recipient record', async () => {
    const user = newUserId();
    const android = { platform: 'android', token: fcmToken(1), app_id: APP, locale: 'fr-ca' };
    const ios = { platform: 'ios', token: apnsToken().toUpperCase(), app_id: APP };
    const web = { platform: 'web', subscription: { endpoint: 'https://push.example.com/send/d-1', keys: { p256dh: P256DH, auth: AUTH } } };
    const created = [];
    for (const body of [android, ios, web]) {
      const reply = await h.call(user, 'POST', '/v1/devices', body);
      expect(reply.statusCode).toBe(201);
      created.push(reply.json());
    }
    expect(created[0]).toMatchObject({
      id: expect.stringMatching(/^dev_/),
      platform: 'android',
      app_id: APP,
      token: android.token,
      locale: 'fr-CA',
    });
    // APNs tokens are hex in any case; one spelling is kept.
    expect(created[1]).toMatchObject({ platform: 'ios', token: ios.token.toLowerCase(), locale: null });
    expect(created[2]).toMatchObject({ platform: 'web', endpoint: web.subscription.endpoint, app_id: null });
    expect(created[2]).not.toHaveProperty('token');

    const listed = (await h.call(user, 'GET', '/v1/devices')).json().items;
    expect(listed).toEqual(created);
    const contacts = (await h.call(user, 'GET', '/v1/contacts')).json();
    expect(contacts.devices).toEqual(created);
    expect(contacts.push_subscriptions).toEqual([{ endpoint: web.subscription.endpoint }]);

    const records = await recordsOf(recipients, key(user), 3);
    expect(records[2]!.devices).toEqual([
      { platform: 'android', token: android.token, app_id: APP, locale: 'fr-CA' },
      { platform: 'ios', token: ios.token.toLowerCase(), app_id: APP, locale: null },
    ]);
    expect(records[2]!.push_subscriptions).toEqual([{ endpoint: web.subscription.endpoint, p256dh: P256DH, auth: AUTH }]);
  });

  it('refreshes a device registered again by the same user (200, same id, new locale)', async () => {
    const user = newUserId();
    const body = { platform: 'android', token: fcmToken(2), app_id: APP };
    const first = await h.call(user, 'POST', '/v1/devices', body);
    const again = await h.call(user, 'POST', '/v1/devices', { ...body, locale: 'de' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json()).toMatchObject({ id: first.json().id, locale: 'de', created_at: first.json().created_at });
    expect(Date.parse(again.json().last_seen_at)).toBeGreaterThanOrEqual(Date.parse(first.json().last_seen_at));
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toHaveLength(1);
  });

  it("moves a token to the user who registers it, and publishes the previous holder's record without it", async () => {
    const [alice, bob] = [newUserId(), newUserId()];
    const phone = { platform: 'ios', token: apnsToken(), app_id: APP };
    await h.call(alice, 'POST', '/v1/devices', phone);
    await recordsOf(recipients, key(alice), 1);
    const taken = await h.call(bob, 'POST', '/v1/devices', phone);
    expect(taken.statusCode).toBe(201);

    expect((await h.call(alice, 'GET', '/v1/devices')).json().items).toEqual([]);
    expect((await h.call(bob, 'GET', '/v1/devices')).json().items.map((d: { token: string }) => d.token)).toEqual([phone.token]);
    const aliceRecords = await recordsOf(recipients, key(alice), 2);
    expect(aliceRecords[0]!.devices.map((d) => d.token)).toEqual([phone.token]);
    expect(aliceRecords[1]!.devices).toEqual([]);
    expect((await recordsOf(recipients, key(bob), 1))[0]!.devices.map((d) => d.token)).toEqual([phone.token]);
  });

  it("removes a device by id, answers 404 for another user's or an unknown id", async () => {
    const [owner, other] = [newUserId(), newUserId()];
    const device = (await h.call(owner, 'POST', '/v1/devices', { platform: 'android', token: fcmToken(3), app_id: APP })).json();
    expect((await h.call(other, 'DELETE', `/v1/devices/${device.id}`)).statusCode).toBe(404);
    expect((await h.call(owner, 'DELETE', `/v1/devices/${device.id}`)).statusCode).toBe(204);
    expect((await h.call(owner, 'DELETE', `/v1/devices/${device.id}`)).statusCode).toBe(404);
    expect((await h.call(owner, 'GET', '/v1/devices')).json().items).toEqual([]);
    const records = await recordsOf(recipients, key(owner), 2);
    expect(records[1]!.devices).toEqual([]);
  });

  it('answers 400 invalid_value, not a 5xx, for a device id Postgres cannot store (a NUL character)', async () => {
    const res = await h.call(newUserId(), 'DELETE', '/v1/devices/a%00b');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_value');
  });

  it('keeps the Web Push routes working: a subscription is a web device, deleted by endpoint', async () => {
    const user = newUserId();
    const endpoint = 'https://push.example.com/send/legacy';
    expect(
      (await h.call(user, 'POST', '/v1/contacts/push-subscriptions', { endpoint, keys: { p256dh: P256DH, auth: AUTH } })).statusCode,
    ).toBe(200);
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toEqual([expect.objectContaining({ platform: 'web', endpoint })]);
    expect((await h.call(user, 'DELETE', '/v1/contacts/push-subscriptions', { endpoint })).statusCode).toBe(200);
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toEqual([]);
  });

  it('hides a destination the push service reported gone until the app registers it again', async () => {
    const user = newUserId();
    const body = { platform: 'android', token: fcmToken(4), app_id: APP };
    await h.call(user, 'POST', '/v1/devices', body);
    // What channel-push records when FCM answers UNREGISTERED (it deletes the row too).
    await h.db
      .insertInto('push_subscription_removals')
      .values({
        tenant: h.tenant,
        user_id: user,
        endpoint: `android:${APP}:${body.token}`,
        status_code: 404,
        reason: 'UNREGISTERED',
        notification_id: `ntf-${user}`,
      })
      .execute();
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toEqual([]);
    expect((await h.call(user, 'POST', '/v1/devices', body)).statusCode).toBe(200);
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toHaveLength(1);
    const left = await h.db
      .selectFrom('push_subscription_removals')
      .selectAll()
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .execute();
    expect(left).toEqual([]);
  });

  it('refuses a 21st device with 409 and keeps the 20', async () => {
    const user = newUserId();
    for (let i = 0; i < 20; i++)
      expect((await h.call(user, 'POST', '/v1/devices', { platform: 'android', token: fcmToken(100 + i), app_id: APP })).statusCode).toBe(
        201,
      );
    const refused = await h.call(user, 'POST', '/v1/devices', { platform: 'android', token: fcmToken(200), app_id: APP });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('too_many_devices');
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toHaveLength(20);
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown platform', { platform: 'huawei', token: 'x', app_id: APP }, ['platform']],
    ['an APNs token that is not hex', { platform: 'ios', token: 'not-hex', app_id: APP }, ['token']],
    ['a missing app id', { platform: 'android', token: fcmToken(5) }, ['app_id']],
    ['a web device without keys', { platform: 'web', subscription: { endpoint: 'https://push.example.com/x' } }, ['subscription.keys']],
    [
      'a token on a web device',
      { platform: 'web', token: 'abc', subscription: { endpoint: 'https://push.example.com/x', keys: { p256dh: P256DH, auth: AUTH } } },
      ['token'],
    ],
    ['a malformed locale', { platform: 'android', token: fcmToken(6), app_id: APP, locale: 'not a locale!' }, ['locale']],
  ])('answers 400 with field errors for %s', async (_name, body, fields) => {
    const user = newUserId();
    const reply = await h.call(user, 'POST', '/v1/devices', body);
    expect(reply.statusCode).toBe(400);
    expect(reply.json().error.code).toBe('invalid_device');
    expect(reply.json().error.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    expect((await h.call(user, 'GET', '/v1/devices')).json().items).toEqual([]);
  });

  it("exports the user's devices and erases them with the user", async () => {
    const user = newUserId();
    const device = (await h.call(user, 'POST', '/v1/devices', { platform: 'android', token: fcmToken(7), app_id: APP })).json();
    const actor = { tenant: h.tenant, userId: user, role: 'user' as const };
    const exported = await exportUser(h.db, h.contacts, { tenant: h.tenant, userId: user }, actor, new Date());
    expect(exported.tables.devices).toEqual([expect.objectContaining({ device_id: device.id, platform: 'android', token: device.token })]);

    const erased = await eraseUser(
      h.db,
      h.contacts,
      { tenant: h.tenant, userId: user },
      { ...actor, role: 'operator' },
      async () => [],
      h.personal,
    );
    expect(erased.deleted.devices).toBe(1);
    const rows = await h.db.selectFrom('devices').select('device_id').where('tenant', '=', h.tenant).where('user_id', '=', user).execute();
    expect(rows).toEqual([]);
    await h.db.deleteFrom('audit_log').where('subject_tenant', '=', h.tenant).where('subject_user_id', '=', user).execute();
  });
});
