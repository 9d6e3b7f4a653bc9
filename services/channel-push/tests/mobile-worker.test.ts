/**
 * The push worker as deployed (its main()), on real Kafka and Postgres, sending to Android through the
 * fake FCM (OAuth2 token exchange, messages:send), to iOS through the fake APNs (HTTP/2, ES256 token
 * auth) and to a browser through the fake push service, all from one dispatch: one terminal status
 * with every device's outcome, payloads as each platform wants them, gone tokens removed, throttling
 * retried for the throttled device only, credentials that do not work dead-lettered with a reason.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { createDb, type Db } from '@notify/db';
import { apnsError, startApnsFake, type ApnsFake } from '../../../tests/support/fakes/apns-fake';
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { fcmError, startFcmFake, type FcmFake } from '../../../tests/support/fakes/fcm-fake';
import { startPushFake, type PushFake } from '../../../tests/support/fakes/push-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { main } from '../src/main';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';

jest.setTimeout(120_000);

const APP = 'com.example.trading';
const tenant = `mobile-${Date.now()}`;
const badTenant = `${tenant}-badkey`;
const user = 'u-1';

describe('channel-push worker with FCM, APNs and Web Push', () => {
  let fcm: FcmFake;
  let apns: ApnsFake;
  let web: PushFake;
  let rig: ChannelWorkerRig;
  let db: Db;

  const android = (token = fcm.newToken(), locale: string | null = null) => ({ platform: 'android', token, app_id: APP, locale });
  const ios = (token = apns.newToken(), locale: string | null = null) => ({ platform: 'ios', token, app_id: APP, locale });
  const browser = () => {
    const s = web.subscribe();
    return { endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth };
  };
  const detailOf = (detail: string | null | undefined) =>
    (
      JSON.parse(detail?.slice(detail.indexOf('{"devices"')) ?? '{}') as {
        devices: Array<{ device: string; outcome: string; reason?: string }>;
      }
    ).devices;

  beforeAll(async () => {
    [fcm, apns, web] = await Promise.all([startFcmFake(), startApnsFake({ bundleId: APP }), startPushFake()]);
    const dir = mkdtempSync(join(tmpdir(), 'mobile-push-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, [fcm.certificate, apns.certificate, web.certificate].join('\n'));
    const accountFile = join(dir, 'service-account.json');
    writeFileSync(accountFile, JSON.stringify(fcm.serviceAccount));
    // Same account and project, but a key Google never issued: the token exchange is refused.
    const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const vapid = generateVAPIDKeys();
    db = createDb(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications', 2);
    rig = await startChannelWorker('push', main, {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
      PUSH_ALLOW_NETWORKS: '127.0.0.1/32',
      PUSH_EXTRA_CA_FILE: caFile,
      RETRY_DELAYS_MS: '300',
      FCM_APPS: JSON.stringify({
        default: { [APP]: { service_account_file: accountFile, api_url: fcm.url, deep_link_base: 'trading://notifications/' } },
        [badTenant]: { default: { service_account: { ...fcm.serviceAccount, private_key: foreignKey }, api_url: fcm.url } },
      }),
      APNS_APPS: JSON.stringify({
        default: {
          [APP]: { key: apns.keyPem, key_id: apns.keyId, team_id: apns.teamId, url: apns.url, deep_link_base: 'trading://notifications/' },
        },
      }),
    });
  });

  afterAll(async () => {
    await rig?.stop();
    await Promise.all([fcm?.close(), apns?.close(), web?.close()]);
    await db?.deleteFrom('push_subscription_removals').where('tenant', 'in', [tenant, badTenant]).execute();
    await db?.deleteFrom('devices').where('tenant', 'in', [tenant, 'someone-else']).execute();
    await db?.deleteFrom('inbox').where('tenant', '=', tenant).execute();
    await db?.destroy();
  });

  it('sends one notification to an Android, an iOS and a browser device, as each platform wants it, with one terminal status', async () => {
    const recipient = `u-badge-${randomUUID().slice(0, 6)}`;
    for (const [i, read] of [
      [1, false],
      [2, false],
      [3, true],
    ] as const) {
      await db
        .insertInto('inbox')
        .values({
          notification_id: `inbox-${recipient}-${i}`,
          tenant,
          user_id: recipient,
          event_id: `e-${i}`,
          type: 'X',
          severity: 'info',
          title: 't',
          body: 'b',
          data: '{}',
          read_at: read ? new Date() : null,
        })
        .execute();
    }
    const [a, i, w] = [android(), ios(), browser()];
    const d = sampleDispatch('push', {
      tenant,
      user_id: recipient,
      recipient: `${tenant}/${recipient}`,
      address: JSON.stringify([w, a, i]),
      dedupe_key: 'margin:ACC-7',
      payload: JSON.stringify({ account_id: 'ACC-7', shortfall: '$12,500', deadline: '16:00 UTC', deep_link: 'trading://accounts/ACC-7' }),
    });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => [s.status, s.provider, s.terminal])).toEqual([['delivered', 'web-push+fcm+apns', true]]);
    expect(detailOf(statuses[0]?.detail).map((x) => [x.device.split(' ')[0], x.outcome])).toEqual([
      ['web', 'delivered'],
      ['android', 'delivered'],
      ['ios', 'delivered'],
    ]);

    const sent = fcm.deliveries.find((x) => x.token === a.token)?.message;
    expect(sent).toMatchObject({
      notification: { title: 'MARGIN CALL on ACC-7' },
      data: { notification_id: d.notification_id, event_id: d.event_id, severity: 'critical', deep_link: 'trading://accounts/ACC-7' },
      android: { priority: 'HIGH', ttl: '86400s', collapse_key: 'margin:ACC-7', notification: { notification_count: 2 } },
    });
    const toPhone = apns.deliveries.find((x) => x.token === i.token);
    expect(toPhone?.headers).toMatchObject({
      'apns-topic': APP,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-collapse-id': 'margin:ACC-7',
    });
    expect(Number(toPhone?.headers['apns-expiration'])).toBeGreaterThan(Date.now() / 1000 + 86_000);
    expect(toPhone?.payload).toMatchObject({
      aps: { alert: { title: 'MARGIN CALL on ACC-7' }, badge: 2, 'interruption-level': 'time-sensitive' },
      notification_id: d.notification_id,
    });
    expect(web.deliveries.find((x) => w.endpoint.endsWith(x.subscriptionId))?.payload).toMatchObject({
      tag: 'margin:ACC-7',
      data: { notification_id: d.notification_id },
    });
    expect([fcm.rejected, apns.rejected, web.rejected]).toEqual([[], [], []]);
    // One OAuth2 exchange, reused by later sends until it nears expiry.
    expect(fcm.exchanges).toBe(1);
  });

  it('renders for an app in its own language, cuts an oversize body to fit 4 KB, and sends routine alerts at normal priority', async () => {
    const [a, i] = [android(undefined, 'fr'), ios(undefined, 'fr')];
    const d = sampleDispatch('push', {
      tenant,
      address: JSON.stringify([a, i]),
      severity: 'info',
      type: 'LONG_NEWS',
      payload: JSON.stringify({}),
    });
    const long = sampleDispatch('push', {
      tenant,
      address: JSON.stringify([android(), ios()]),
      payload: JSON.stringify({ account_id: `ACC-${'7'.repeat(6_000)}`, shortfall: '$1', deadline: 'now' }),
    });
    const french = sampleDispatch('push', { tenant, address: JSON.stringify([a, i]) });
    await rig.dispatch(d, long, french);
    for (const x of [d, long, french]) expect((await rig.terminal(x.notification_id)).map((s) => s.status)).toEqual(['delivered']);

    expect(fcm.deliveries.find((x) => x.message.data.notification_id === french.notification_id)?.message.notification.title).toBe(
      'APPEL DE MARGE sur ACC-7',
    );
    expect(apns.deliveries.find((x) => x.payload.notification_id === french.notification_id)?.payload.aps.alert.title).toBe(
      'APPEL DE MARGE sur ACC-7',
    );
    expect(fcm.deliveries.find((x) => x.message.data.notification_id === d.notification_id)?.message.android.priority).toBe('NORMAL');
    const routine = apns.deliveries.find((x) => x.payload.notification_id === d.notification_id);
    expect([routine?.headers['apns-priority'], routine?.payload.aps['interruption-level']]).toEqual(['5', 'active']);
    const cut = apns.deliveries.find((x) => x.payload.notification_id === long.notification_id);
    expect(cut?.payload.aps.alert.body.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(cut?.payload))).toBeLessThanOrEqual(4096);
    expect(
      fcm.deliveries.find((x) => x.message.data.notification_id === long.notification_id)?.message.notification.body.endsWith('…'),
    ).toBe(true);
  });

  it('removes tokens FCM and APNs report gone (UNREGISTERED, 410, BadDeviceToken), deletes their rows, and never dials them again', async () => {
    const [a, i, bad] = [android(), ios(), ios()];
    fcm.unregister(a.token);
    apns.unregister(i.token);
    apns.markBad(bad.token);
    for (const t of [a, i, bad])
      await db
        .insertInto('devices')
        .values({ tenant, user_id: user, platform: t.platform as 'ios' | 'android', app_id: APP, token: t.token })
        .execute();
    const first = sampleDispatch('push', { tenant, address: JSON.stringify([a, i, bad]) });
    await rig.dispatch(first);
    const statuses = await rig.terminal(first.notification_id);
    expect(statuses.map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    expect(detailOf(statuses[0]?.detail).map((x) => [x.outcome, x.reason])).toEqual([
      ['gone', 'UNREGISTERED'],
      ['gone', 'Unregistered'],
      ['gone', 'BadDeviceToken'],
    ]);
    const removals = await db
      .selectFrom('push_subscription_removals')
      .select(['user_id', 'endpoint', 'status_code'])
      .where('tenant', '=', tenant)
      .where('notification_id', '=', first.notification_id)
      .orderBy('status_code')
      .execute();
    // Stored sealed, bound to the user.
    expect(removals.every((r) => r.endpoint.startsWith('sealed.v1.'))).toBe(true);
    const contacts = testContactCipher();
    expect(
      removals.map((r) => ({
        endpoint: contacts.open('push_subscription_removals.endpoint', `${tenant}/${r.user_id}`, r.endpoint),
        status_code: r.status_code,
      })),
    ).toEqual([
      { endpoint: `ios:${APP}:${bad.token}`, status_code: 400 },
      { endpoint: `android:${APP}:${a.token}`, status_code: 404 },
      { endpoint: `ios:${APP}:${i.token}`, status_code: 410 },
    ]);
    expect(await db.selectFrom('devices').select('token').where('token', 'in', [a.token, i.token, bad.token]).execute()).toEqual([]);

    const hits = () => fcm.requests.length + apns.requests.length;
    const before = hits();
    const second = sampleDispatch('push', { tenant, address: JSON.stringify([a, i, bad]) });
    await rig.dispatch(second);
    expect((await rig.terminal(second.notification_id)).map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    expect(hits()).toBe(before);
    expect(rig.deadLetters.records.some((r) => r.value.notification_id === first.notification_id)).toBe(false);
  });

  it('does not send to a token another user has registered since', async () => {
    const taken = android();
    await db
      .insertInto('devices')
      .values({ tenant: 'someone-else', user_id: 'u-2', platform: 'android', app_id: APP, token: taken.token })
      .execute();
    const d = sampleDispatch('push', { tenant, address: JSON.stringify([taken, ios()]) });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => s.status)).toEqual(['delivered']);
    expect(detailOf(statuses[0]?.detail).map((x) => [x.outcome, x.reason ?? null])).toEqual([
      ['skipped', 'registered by another user since'],
      ['delivered', null],
    ]);
    expect(fcm.deliveries.some((x) => x.token === taken.token)).toBe(false);
  });

  it('retries only the throttled device after its Retry-After (FCM 429 QUOTA_EXCEEDED, APNs 429)', async () => {
    for (const [throttle, label] of [
      [
        () => fcm.failNext(fcmError(429, 'QUOTA_EXCEEDED', 'RESOURCE_EXHAUSTED', 'Quota exceeded', { 'retry-after': '1' })),
        'fcm_quota_exceeded',
      ],
      [() => apns.failNext(apnsError(429, 'TooManyRequests', { 'retry-after': '1' })), 'apns_too_many_requests'],
    ] as const) {
      const [a, i] = [android(), ios()];
      const d = sampleDispatch('push', { tenant, address: JSON.stringify([a, i]) });
      throttle();
      await rig.dispatch(d);
      const statuses = await rig.terminal(d.notification_id);
      expect(statuses.map((s) => [s.status, s.reason])).toEqual([
        ['retrying', label],
        ['delivered', null],
      ]);
      expect((statuses[1]?.at ?? 0) - (statuses[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
      expect(fcm.deliveries.filter((x) => x.token === a.token)).toHaveLength(1);
      expect(apns.deliveries.filter((x) => x.token === i.token)).toHaveLength(1);
    }
  });

  it('dead-letters a tenant whose FCM credentials the token endpoint refuses, saying which account', async () => {
    const d = sampleDispatch('push', { tenant: badTenant, recipient: `${badTenant}/${user}`, address: JSON.stringify([android()]) });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['dead_lettered', 'fcm_invalid_credentials'],
    ]);
    expect((await rig.deadLetter(d.notification_id)).reason).toContain(`service account ${fcm.serviceAccount.client_email}`);
  });
});
