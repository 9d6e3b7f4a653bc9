/**
 * The SMS worker as deployed (its main.ts, real Kafka, Postgres and the `twilio` package) against a
 * local fake Twilio: status callbacks close notifications (delivered, undelivered) and are counted then,
 * one Twilio never reports on closes as `sent` (no_feedback) after the feedback timeout, an address that is
 * not E.164 is dead-lettered unsent, 21610 and inbound STOP opt numbers out, and a worker killed
 * (SIGKILL) after claiming, before Twilio answered, never sends twice.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import twilio from 'twilio';
import type { DeadLetter, DeliveryStatus } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { dispatchProducer, makeDispatch, type DispatchProducer } from '../../../tests/support/dispatches';
import { startTwilioFake, twilioError, type TwilioFake } from '../../../tests/support/fakes/twilio-fake';
import { freePort } from '../../../tests/support/ports';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { samples } from '../../../tests/observability/metrics-text';
import { waitFor } from '../../../tests/support/wait';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `sms${RUN}`;
const NAMESPACE = `t-${RUN}.`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const phone = () => `+1555${String(randomInt(1_000_000, 9_999_999))}`;

describe('channel-sms worker with Twilio', () => {
  let fake: TwilioFake;
  let service: ServiceProcess;
  let env: Record<string, string>;
  let feedbackPort: number;
  let producer: DispatchProducer;
  let statuses: TopicReader<DeliveryStatus>;
  let letters: TopicReader<DeadLetter>;
  let db: Client;

  beforeAll(async () => {
    await provision({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
    fake = await startTwilioFake();
    feedbackPort = await freePort();
    env = {
      KAFKA_NAMESPACE: NAMESPACE,
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_FROM: '+15005550001',
      TWILIO_BASE_URL: fake.url,
      FEEDBACK_PORT: String(feedbackPort),
      RETRY_DELAYS_MS: '500',
      SMS_MAX_SEGMENTS: '1',
      // Long enough for the fake's callbacks (50 ms), short enough to watch an unreported SMS time out.
      FEEDBACK_TIMEOUT_MS: '5000',
      FEEDBACK_SWEEP_INTERVAL_MS: '300',
    };
    service = await startService('channel-sms', env);
    producer = await dispatchProducer(brokers, registryUrl);
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${NAMESPACE}notifications.delivery-status`);
    letters = await readTopic<DeadLetter>(brokers, registryUrl, `${NAMESPACE}notifications.dlq`);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await statuses?.close();
    await letters?.close();
    await producer?.close();
    await service?.stop();
    await fake?.close();
    await db?.end();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
  });

  const of = (id: string) => statuses.records.map((r) => r.value).filter((s) => s.notification_id === id);
  const terminal = (id: string, timeoutMs = 30_000) => waitFor(`terminal status of ${id}`, () => of(id).find((s) => s.terminal), timeoutMs);
  const sentTo = (to: string) => fake.sent().filter((m) => m.To === to);
  const counter = async (name: string, labels: Record<string, string>) => {
    const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
    return samples(text, name).find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v))?.value ?? 0;
  };
  const signedStatusCallback = (notificationId: string, params: Record<string, string>) => {
    const url = `http://127.0.0.1:${feedbackPort}/twilio/status?n=${notificationId}`;
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(fake.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  };

  it('sends within the segment budget, reports sent, and the signed status callback closes it delivered', async () => {
    fake.reportStatus('delivered');
    const deliveredBefore = await counter('notifications_delivered_total', { channel: 'sms' });
    const to = phone();
    const d = makeDispatch('sms', {
      tenant: TENANT,
      user_id: 'u1',
      address: to,
      payload: JSON.stringify({
        account_id: 'acc789',
        shortfall: 5000,
        deadline: `2024-01-15T10:00:00Z ${'and a very long tail '.repeat(10)}`,
      }),
    });
    await producer.send(NAMESPACE, d);
    const end = await terminal(d.notification_id);
    expect(end).toMatchObject({ status: 'delivered', provider: 'twilio', stage: 'channel-sms', channel: 'sms' });
    expect(of(d.notification_id).map((s) => s.status)).toEqual(['sent', 'delivered']);
    const [message] = sentTo(to);
    expect(message?.Body).toMatch(/^Margin call on account acc789: deposit \$5,000\.00 before 2024-01-15T10:00:00Z and a very long tail/);
    expect(message?.Body?.length).toBeLessThanOrEqual(160);
    expect(message?.Body?.endsWith('...')).toBe(true);
    expect(message?.StatusCallback).toBe(`http://127.0.0.1:${feedbackPort}/twilio/status?n=${d.notification_id}`);
    // Counted when the callback closed it, once.
    expect(await counter('notifications_delivered_total', { channel: 'sms' })).toBe(deliveredBefore + 1);
    expect(await counter('delivery_latency_seconds_count', { channel: 'sms' })).toBeGreaterThanOrEqual(1);
    fake.reportStatus(null);
  });

  it('closes a digest and every member notification in it when the status callback reports delivery', async () => {
    fake.reportStatus('delivered');
    const members = ['a', 'b'].map((n) => ({
      notification_id: `ntf_member_${n}_${RUN}`,
      event_id: `evt-${n}-${RUN}`,
      type: 'PRICE_ALERT',
      severity: 'info',
      payload: '{}',
      occurred_at: Date.now() - 1000,
    }));
    const d = makeDispatch('sms', {
      tenant: TENANT,
      user_id: 'u1',
      address: phone(),
      type: 'DIGEST',
      template: 'digest',
      payload: JSON.stringify({ summary: '2 Price Alert' }),
      digest: { total: 2, counts: { PRICE_ALERT: 2 }, items: members },
    });
    await producer.send(NAMESPACE, d);
    for (const id of [d.notification_id, ...members.map((m) => m.notification_id)]) {
      expect((await terminal(id)).status).toBe('delivered');
      expect(of(id).map((s) => s.status)).toEqual(['sent', 'delivered']);
    }
    expect(of(members[0]?.notification_id ?? '').find((s) => s.terminal)).toMatchObject({
      event_id: members[0]?.event_id,
      provider: 'twilio',
      stage: 'channel-sms',
    });
    fake.reportStatus(null);
  });

  it('refuses a status callback without a valid Twilio signature', async () => {
    const url = `http://127.0.0.1:${feedbackPort}/twilio/status?n=whatever`;
    const body = new URLSearchParams({ MessageSid: 'SM1', MessageStatus: 'delivered' }).toString();
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body,
    });
    expect(forged.status).toBe(403);
  });

  it("closes an SMS as failed when the signed status callback reports undelivered, with Twilio's error code", async () => {
    fake.reportStatus('undelivered', '30003');
    const d = makeDispatch('sms', { tenant: TENANT, user_id: 'u4', address: phone() });
    await producer.send(NAMESPACE, d);
    expect(await terminal(d.notification_id)).toMatchObject({
      status: 'failed',
      reason: 'twilio_30003',
      detail: 'twilio reported undelivered',
      provider: 'twilio',
      stage: 'channel-sms',
    });
    expect(of(d.notification_id).map((s) => s.status)).toEqual(['sent', 'failed']);
    fake.reportStatus(null);
  });

  it('closes an SMS Twilio never reports on as sent (terminal, no_feedback) after the timeout; a callback after that publishes nothing', async () => {
    fake.reportStatus(null);
    const unconfirmedBefore = await counter('notifications_unconfirmed_total', { channel: 'sms' });
    const deliveredBefore = await counter('notifications_delivered_total', { channel: 'sms' });
    const d = makeDispatch('sms', { tenant: TENANT, user_id: 'u6', address: phone() });
    await producer.send(NAMESPACE, d);
    expect(await terminal(d.notification_id)).toMatchObject({
      status: 'sent',
      reason: 'no_feedback',
      terminal: true,
      provider: 'twilio',
      stage: 'channel-sms',
    });
    expect(of(d.notification_id).map((s) => [s.status, s.terminal])).toEqual([
      ['sent', false],
      ['sent', true],
    ]);
    expect(await counter('notifications_unconfirmed_total', { channel: 'sms' })).toBe(unconfirmedBefore + 1);

    expect((await signedStatusCallback(d.notification_id, { MessageSid: 'SMlate', MessageStatus: 'delivered' })).status).toBe(204);
    // Time for a status wrongly published by the late callback to reach the reader.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(of(d.notification_id).filter((s) => s.terminal)).toHaveLength(1);
    expect(await counter('notifications_delivered_total', { channel: 'sms' })).toBe(deliveredBefore);
  });

  it('dead-letters a number that is not E.164 as invalid_address without calling Twilio', async () => {
    const requestsBefore = fake.requests.length;
    const d = makeDispatch('sms', { tenant: TENANT, user_id: 'u5', address: '555-0100' });
    await producer.send(NAMESPACE, d);
    expect(await terminal(d.notification_id)).toMatchObject({ status: 'dead_lettered', reason: 'invalid_address' });
    const letter = await waitFor('dead letter', () =>
      letters.records.map((r) => r.value).find((l) => l.notification_id === d.notification_id),
    );
    expect(letter).toMatchObject({ code: 'invalid_address', stage: 'channel-sms', reason: '555-0100 is not an E.164 phone number' });
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('treats Twilio 21610 as permanent, dead-letters it and opts the number out; the next SMS to it is suppressed unsent', async () => {
    const to = phone();
    fake.failNext(twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));
    const first = makeDispatch('sms', { tenant: TENANT, user_id: 'u2', address: to });
    await producer.send(NAMESPACE, first);
    expect(await terminal(first.notification_id)).toMatchObject({
      status: 'dead_lettered',
      reason: 'twilio_21610',
      detail: expect.stringMatching(/unsubscribed recipient/),
    });
    const letter = await waitFor('dead letter', () =>
      letters.records.map((r) => r.value).find((l) => l.notification_id === first.notification_id),
    );
    expect(letter).toMatchObject({ code: 'twilio_21610', stage: 'channel-sms' });
    // Found by blind index; the address itself is stored sealed.
    const index = testContactCipher().index('channel_opt_outs.address', to);
    const rows = await db.query('select source, address from channel_opt_outs where channel = $1 and address_index = $2', ['sms', index]);
    expect(rows.rows).toEqual([{ source: 'twilio:twilio_21610', address: expect.stringMatching(/^sealed\.v1\./) }]);

    const requestsBefore = fake.requests.length;
    const second = makeDispatch('sms', { tenant: TENANT, user_id: 'u2', address: to });
    await producer.send(NAMESPACE, second);
    expect(await terminal(second.notification_id)).toMatchObject({ status: 'suppressed', reason: 'opted_out' });
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('opts a number out on a signed inbound STOP and back in on START', async () => {
    const from = phone();
    const url = `http://127.0.0.1:${feedbackPort}/twilio/inbound`;
    const post = (body: string) => {
      const params = { From: from, To: '+15005550001', Body: body, MessageSid: `SM${RUN}` };
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(fake.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
    };
    const optedOut = async () =>
      (
        await db.query('select 1 from channel_opt_outs where channel = $1 and address_index = $2', [
          'sms',
          testContactCipher().index('channel_opt_outs.address', from),
        ])
      ).rowCount === 1;
    expect((await post(' stop ')).status).toBe(200);
    expect(await optedOut()).toBe(true);
    expect((await post('START')).status).toBe(200);
    expect(await optedOut()).toBe(false);
  });

  it('never sends twice when the worker is killed after claiming, before Twilio answered', async () => {
    const to = phone();
    fake.hangNext();
    const d = makeDispatch('sms', { tenant: TENANT, user_id: 'u3', address: to });
    const before = fake.requests.length;
    await producer.send(NAMESPACE, d);
    await waitFor('the request to reach fake Twilio', () => (fake.requests.length > before ? true : undefined), 30_000);
    service.process.kill('SIGKILL');
    await service.stop();
    service = await startService('channel-sms', env);
    const end = await terminal(d.notification_id, 120_000);
    expect(end).toMatchObject({ status: 'failed', reason: 'delivery_in_doubt' });
    expect(fake.requests.filter((r) => new URLSearchParams(r.body).get('To') === to)).toHaveLength(1);
    const claim = await db.query('select state, attempts from delivery_claims where idempotency_key = $1', [d.idempotency_key]);
    expect(claim.rows[0]).toMatchObject({ state: 'failed', attempts: 2 });
  });
});
