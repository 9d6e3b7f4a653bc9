/**
 * Mobile push through the whole product: a user registers an Android phone (FCM), an iPhone (APNs)
 * and a browser (Web Push) through POST /v1/devices, a producer posts a margin call over HTTP, and
 * each device's push service receives it, with one terminal status whose detail lists all three.
 * A token FCM reports gone is removed (GET /v1/devices no longer shows it, the next event does not
 * dial it); an APNs 429 is retried after its Retry-After for that device alone. Every service runs
 * as its own process against the fake FCM, APNs and push servers.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from '@notify/schemas';
import { apnsError } from '../support/fakes/apns-fake';
import { MOBILE_APP_ID, startProduct, type Product } from '../support/product';
import { httpEvent, inboxByDefault, rule } from '../support/scenario-rules';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `mp${RUN}`;
const ALICE = `alice-${RUN}`;

const RULES = inboxByDefault(TENANT, [rule('margin calls to every device', 'MARGIN_CALL', ['push'], 'bypass_quiet_hours: true')]);

const marginCall = (over: Record<string, unknown> = {}) =>
  httpEvent(
    'MARGIN_CALL',
    { user_id: ALICE, account_id: 'ACC-7', shortfall: 5000, deadline: '2026-12-03T16:00:00Z' },
    { severity: 'critical', ...over },
  );

type Devices = Array<{ device: string; outcome: string; reason?: string }>;
const devicesOf = (status: DeliveryStatus): Devices => {
  const detail = status.detail ?? '';
  return (JSON.parse(detail.slice(detail.indexOf('{"devices"'))) as { devices: Devices }).devices;
};

describe('mobile push, from an event to every device', () => {
  let product: Product;
  let alice: string;
  let androidToken: string;
  let iosToken: string;
  let endpoint: string;

  const reached = (notificationId: string) => ({
    fcm: product.fakes.fcm.deliveries.filter((d) => d.message.data.notification_id === notificationId).length,
    apns: product.fakes.apns.deliveries.filter((d) => d.payload.notification_id === notificationId).length,
    web: product.fakes.push.deliveries.filter(
      (d) => (d.payload as { data?: { notification_id?: string } }).data?.notification_id === notificationId,
    ).length,
  });

  /** Posts a margin call and waits for its one push notification's terminal status. */
  const post = async (over: Record<string, unknown> = {}): Promise<DeliveryStatus> => {
    const e = marginCall(over);
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = (await product.terminals(e.event_id, 1)).filter((s) => s.channel === 'push');
    expect(terminals).toHaveLength(1);
    return terminals[0] as DeliveryStatus;
  };

  beforeAll(async () => {
    product = await startProduct({ tenant: TENANT, rulesYaml: RULES });
    alice = product.userToken(ALICE);
    androidToken = product.fakes.fcm.newToken();
    iosToken = product.fakes.apns.newToken();
    const subscription = product.fakes.push.subscribe();
    endpoint = subscription.endpoint;
    for (const body of [
      { platform: 'android', token: androidToken, app_id: MOBILE_APP_ID },
      { platform: 'ios', token: iosToken, app_id: MOBILE_APP_ID },
      { platform: 'web', subscription },
    ]) {
      expect((await product.api(alice, 'POST', '/v1/devices', body)).status).toBe(201);
    }
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('delivers one notification to the Android, iOS and browser devices, with one terminal status listing all three', async () => {
    // The event's dedupe key travels to the devices as the collapse key.
    const terminal = await post({ dedupe_key: `margin-ACC-7-${RUN}` });
    expect(terminal).toMatchObject({ status: 'delivered', provider: 'web-push+fcm+apns', recipient: `${TENANT}/${ALICE}` });
    expect(
      devicesOf(terminal)
        .map((d) => [d.device.split(' ')[0], d.outcome])
        .sort(),
    ).toEqual([
      ['android', 'delivered'],
      ['ios', 'delivered'],
      ['web', 'delivered'],
    ]);
    expect(reached(terminal.notification_id)).toEqual({ fcm: 1, apns: 1, web: 1 });
    const toPhone = product.fakes.apns.deliveries.find((d) => d.payload.notification_id === terminal.notification_id);
    expect(toPhone).toMatchObject({
      token: iosToken,
      headers: { 'apns-topic': MOBILE_APP_ID, 'apns-priority': '10', 'apns-collapse-id': `margin-ACC-7-${RUN}` },
      payload: { aps: { 'interruption-level': 'time-sensitive' } },
    });
    expect(product.fakes.fcm.deliveries.find((d) => d.message.data.notification_id === terminal.notification_id)?.message).toMatchObject({
      token: androidToken,
      android: { priority: 'HIGH', collapse_key: `margin-ACC-7-${RUN}` },
      data: { deep_link: `trading://notifications/${terminal.notification_id}` },
    });
    expect([product.fakes.fcm.rejected, product.fakes.apns.rejected, product.fakes.push.rejected]).toEqual([[], [], []]);
  });

  it('retries an APNs 429 after its Retry-After, for the iPhone alone', async () => {
    product.fakes.apns.failNext(apnsError(429, 'TooManyRequests', { 'retry-after': '1' }));
    const e = marginCall();
    expect((await product.postEvent(e)).status).toBe(202);
    const [terminal] = (await product.terminals(e.event_id, 1)).filter((s) => s.channel === 'push');
    const mine = product
      .statusesOf(e.event_id)
      .filter((s) => s.notification_id === terminal?.notification_id && s.stage === 'channel-push');
    expect(mine.map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'apns_too_many_requests'],
      ['delivered', null],
    ]);
    expect((mine[1]?.at ?? 0) - (mine[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(reached(terminal?.notification_id ?? '')).toEqual({ fcm: 1, apns: 1, web: 1 });
  });

  it('removes a token FCM reports UNREGISTERED: gone from GET /v1/devices, never dialled again', async () => {
    product.fakes.fcm.unregister(androidToken);
    const first = await post();
    expect(first.status).toBe('delivered');
    expect(devicesOf(first).find((d) => d.device.startsWith('android'))).toMatchObject({ outcome: 'gone', reason: 'UNREGISTERED' });
    const devices = (await product.api(alice, 'GET', '/v1/devices')).json.items as Array<{
      platform: string;
      token?: string;
      endpoint?: string;
    }>;
    expect(devices.map((d) => [d.platform, d.token ?? d.endpoint]).sort()).toEqual([
      ['ios', iosToken],
      ['web', endpoint],
    ]);

    const dialled = () => product.fakes.fcm.requests.length;
    const before = dialled();
    const second = await post();
    // The aggregator's record of Alice still names the phone (the worker cannot publish Recipient records); the worker skips it.
    expect(
      devicesOf(second)
        .map((d) => [d.device.split(' ')[0], d.outcome, d.reason ?? null])
        .sort(),
    ).toEqual([
      ['android', 'skipped', 'reported gone earlier'],
      ['ios', 'delivered', null],
      ['web', 'delivered', null],
    ]);
    expect(dialled()).toBe(before);
    expect(reached(second.notification_id)).toEqual({ fcm: 0, apns: 1, web: 1 });
  });
});
