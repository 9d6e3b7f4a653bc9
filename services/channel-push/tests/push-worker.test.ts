/**
 * The push worker as deployed (its main()), on real Kafka and Postgres, with the real web-push package
 * against a local HTTPS push service that verifies VAPID and decrypts the payload: delivery, 429 and
 * 5xx through the retry topic (fan-out retries only the failed device), a permanent 4xx to the DLQ,
 * and 410 or 404 removing the subscription.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { createDb, type Db } from '@notify/db';
import { startChannelWorker, type ChannelWorkerRig } from '../../../tests/support/fakes/channel-worker-rig';
import { startPushFake, type FakeSubscription, type PushFake } from '../../../tests/support/fakes/push-fake';
import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { main } from '../src/main';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';

jest.setTimeout(120_000);

describe('channel-push worker', () => {
  let push: PushFake;
  let rig: ChannelWorkerRig;
  let db: Db;
  const vapid = generateVAPIDKeys();
  const tenant = `push-${Date.now()}`;
  const to = (...subs: FakeSubscription[]) => JSON.stringify(subs.length === 1 ? subs[0] : subs);
  const hitsOf = (sub: FakeSubscription) => push.requests.filter((r) => sub.endpoint.endsWith(r.path)).length;

  beforeAll(async () => {
    push = await startPushFake();
    const caFile = join(mkdtempSync(join(tmpdir(), 'push-ca-')), 'ca.pem');
    writeFileSync(caFile, push.certificate);
    db = createDb(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications', 2);
    rig = await startChannelWorker('push', main, {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
      PUSH_ALLOW_NETWORKS: '127.0.0.1/32',
      PUSH_EXTRA_CA_FILE: caFile,
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await push?.close();
    await db?.deleteFrom('push_subscription_removals').where('tenant', '=', tenant).execute();
    await db?.destroy();
  });

  it('delivers an encrypted payload the push service decrypts, signed with our VAPID key', async () => {
    const sub = push.subscribe();
    const d = sampleDispatch('push', { tenant, address: to(sub) });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.provider])).toEqual([['delivered', 'web-push']]);
    const delivery = push.deliveries.find((x) => sub.endpoint.endsWith(x.subscriptionId));
    expect(delivery).toMatchObject({
      urgency: 'high',
      ttl: '86400',
      vapid: { subject: 'mailto:ops@example.com', publicKey: vapid.publicKey },
    });
    expect(delivery?.payload).toMatchObject({
      title: 'MARGIN CALL on ACC-7',
      tag: d.notification_id,
      data: { severity: 'critical', type: 'MARGIN_CALL' },
    });
    expect(push.rejected).toEqual([]);
  });

  it('retries only the device that failed with 5xx, then delivers', async () => {
    const [a, b] = [push.subscribe(), push.subscribe()];
    const d = sampleDispatch('push', { tenant, address: to(a, b) });
    push.failNext({ status: 503, body: 'busy' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_503'],
      ['delivered', null],
    ]);
    // Each device got exactly one message: the one that succeeded first was not sent again on retry.
    expect(push.deliveries.filter((x) => a.endpoint.endsWith(x.subscriptionId) || b.endpoint.endsWith(x.subscriptionId))).toHaveLength(2);
    expect(hitsOf(a) + hitsOf(b)).toBe(3);
  });

  it('waits out 429 Retry-After before the retry', async () => {
    const d = sampleDispatch('push', { tenant, address: to(push.subscribe()) });
    push.failNext({ status: 429, headers: { 'retry-after': '1' } });
    await rig.dispatch(d);
    const statuses = await rig.terminal(d.notification_id);
    expect(statuses.map((s) => [s.status, s.reason])).toEqual([
      ['retrying', 'http_429'],
      ['delivered', null],
    ]);
    expect((statuses[1]?.at ?? 0) - (statuses[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('dead-letters a permanent 4xx from the push service', async () => {
    const d = sampleDispatch('push', { tenant, address: to(push.subscribe()) });
    push.failNext({ status: 413, body: 'payload too large' });
    await rig.dispatch(d);
    expect((await rig.terminal(d.notification_id)).map((s) => [s.status, s.reason])).toEqual([['dead_lettered', 'http_413']]);
    expect((await rig.deadLetter(d.notification_id)).reason).toContain('payload too large');
  });

  it('removes a subscription answered 410 and never dials it again', async () => {
    const sub = push.subscribe();
    push.unsubscribe(sub);
    const first = sampleDispatch('push', { tenant, address: to(sub) });
    await rig.dispatch(first);
    expect((await rig.terminal(first.notification_id)).map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    const row = await db
      .selectFrom('push_subscription_removals')
      .selectAll()
      .where('tenant', '=', tenant)
      .where('endpoint_index', '=', testContactCipher().index('push_subscription_removals.endpoint', sub.endpoint))
      .executeTakeFirst();
    expect(row).toMatchObject({ user_id: 'u-1', status_code: 410, notification_id: first.notification_id });

    const second = sampleDispatch('push', { tenant, address: to(sub) });
    await rig.dispatch(second);
    expect((await rig.terminal(second.notification_id)).map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    expect(hitsOf(sub)).toBe(1);
    // Gone is not a dead letter: there is nothing to replay.
    expect(rig.deadLetters.records.some((r) => r.value.notification_id === first.notification_id)).toBe(false);
  });

  it('removes a subscription answered 404 (unknown to the push service) like a 410, and never dials it again', async () => {
    // Real keys, but an endpoint the push service never issued: it answers 404 "no such subscription".
    const sub = { ...push.subscribe(), endpoint: `${push.url}/push/${randomUUID()}` };
    const first = sampleDispatch('push', { tenant, address: to(sub) });
    await rig.dispatch(first);
    expect((await rig.terminal(first.notification_id)).map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    const row = await db
      .selectFrom('push_subscription_removals')
      .selectAll()
      .where('tenant', '=', tenant)
      .where('endpoint_index', '=', testContactCipher().index('push_subscription_removals.endpoint', sub.endpoint))
      .executeTakeFirst();
    expect(row).toMatchObject({ user_id: 'u-1', status_code: 404, reason: 'no such subscription', notification_id: first.notification_id });

    const second = sampleDispatch('push', { tenant, address: to(sub) });
    await rig.dispatch(second);
    expect((await rig.terminal(second.notification_id)).map((s) => [s.status, s.reason])).toEqual([['failed', 'subscription_gone']]);
    expect(hitsOf(sub)).toBe(1);
    expect(rig.deadLetters.records.some((r) => r.value.notification_id === first.notification_id)).toBe(false);
  });
});
