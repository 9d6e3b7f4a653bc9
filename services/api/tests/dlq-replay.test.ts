/**
 * Bulk replay of dead letters against the real stack: the filter selects by channel, code and time
 * range, oldest first; channel dead letters are re-run on the channel's dispatch topic (also those
 * that died on the retry topic), numbered per notification; undecodable ones are reported as
 * skipped; entries replayed before are left out unless forced.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { notificationId, recipientKey, type DeadLetter, type Dispatch } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';
import { readRawTopic } from './support/raw-topic';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `dlq-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const MINUTE = 60_000;

type Json = Record<string, unknown>;

function webhookDispatch(user: string, over: Partial<Dispatch> = {}): Dispatch {
  const eventId = `evt-${randomUUID()}`;
  const recipient = recipientKey(TENANT, user);
  const id = notificationId(eventId, recipient, 'webhook');
  return {
    notification_id: id,
    idempotency_key: id,
    event_id: eventId,
    tenant: TENANT,
    recipient,
    user_id: user,
    channel: 'webhook',
    type: 'TRADE_SETTLED',
    severity: 'info',
    severity_label: 'info',
    template: '',
    priority: 'normal',
    locale: 'en',
    address: null,
    payload: '{}',
    digest: null,
    attempt: 3,
    not_before: 1_700_000_009_000,
    occurred_at: 1_700_000_000_000,
    created_at: 1_700_000_000_000,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    replay: 0,
    ...over,
  };
}

describe('bulk replay of dead letters', () => {
  let stack: ApiStack;
  let db: Client;
  let codec: AvroCodec;
  let producer: ProducerPort;
  const now = Date.now();
  const from = new Date(now - 60 * MINUTE).toISOString();
  const to = new Date(now).toISOString();

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(stack.url() + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    stack = await startApiStack();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    codec = await AvroCodec.connect(registryUrl, [
      'notifications.dlq',
      'notifications.dispatch.webhook',
      'notifications.retry.webhook',
      'notifications.dispatch.sms',
    ]);
    producer = createKafka({ clientId: 'dlq-replay-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.query('delete from dlq_entries where kafka_namespace = $1', [stack?.namespace]);
    await db?.end();
    await stack?.stop();
  });

  it('replays what the filter selects, numbered per notification, and reports what it skipped', async () => {
    const first = webhookDispatch('a');
    const retried = webhookDispatch('b');
    const letter = (name: string, d: Dispatch | null, over: Partial<DeadLetter>): DeadLetter => ({
      notification_id: d?.notification_id ?? `ntf-${name}`,
      stage: 'channel-webhook',
      reason: `${name} failed`,
      code: 'http_410',
      attempts: 1,
      original_topic: 'notifications.dispatch.webhook',
      original_partition: 0,
      original_offset: '1',
      original_key: d?.recipient ?? null,
      original: d ? codec.encode('notifications.dispatch.webhook', d) : null,
      failed_at: now - 30 * MINUTE,
      ...over,
    });
    const letters: Array<[string, DeadLetter]> = [
      ['first', letter('first', first, {})],
      [
        'retried',
        letter('retried', retried, {
          code: 'http_410',
          original_topic: 'notifications.retry.webhook',
          original_key: retried.notification_id,
          original: codec.encode('notifications.retry.webhook', retried),
        }),
      ],
      ['other code', letter('other', webhookDispatch('c'), { code: 'http_500' })],
      [
        'other channel',
        letter('sms', null, {
          stage: 'channel-sms',
          original_topic: 'notifications.dispatch.sms',
          original_key: first.recipient,
          original: codec.encode('notifications.dispatch.sms', webhookDispatch('d', { channel: 'sms' })),
        }),
      ],
      ['too old', letter('old', webhookDispatch('e'), { failed_at: now - 120 * MINUTE })],
      // Undecodable, but its key still names the tenant (a record with neither is seen by the platform role only).
      ['undecodable', letter('bad', null, { original: Buffer.from('not avro'), original_key: first.recipient })],
      // The first notification's replay 1 failed again and was dead-lettered: it carries replay 1.
      ['first, replayed once', letter('first-again', { ...first, replay: 1 }, { failed_at: now - 20 * MINUTE })],
    ];
    // One key, so one partition: the collector files them with ids in this order.
    await producer.send(letters.map(([, d]) => ({ topic: 'notifications.dlq', key: RUN, value: codec.encode('notifications.dlq', d) })));
    const op = stack.operatorToken(TENANT);
    const filed = await waitFor('every dead letter filed', async () => {
      const items = (await call('GET', '/v1/admin/dlq?limit=100', op)).body.items as Json[];
      return items.length === letters.length ? [...items].reverse() : undefined;
    });
    const idOf = (name: string): string => String(filed[letters.findIndex(([n]) => n === name)]?.id);
    expect(filed.map((e) => e.reason)).toEqual(letters.map(([, d]) => d.reason));

    const target = await readRawTopic(brokers, stack.topic('notifications.dispatch.webhook'));
    try {
      const bulk = await call('POST', '/v1/admin/dlq/replay', op, { channel: 'webhook', code: 'http_410', from, to });
      expect(bulk.status).toBe(200);
      expect(bulk.body).toEqual({
        count: 3,
        replayed: [idOf('first'), idOf('retried'), idOf('first, replayed once')],
        skipped: [{ id: idOf('undecodable'), code: 'undecodable', message: expect.stringContaining('cannot be read') }],
        limit_reached: false,
      });
      const sent = await waitFor('three replayed dispatches', () => (target.records.length >= 3 ? target.records : undefined));
      const byEntry = new Map(
        await Promise.all(
          sent.map(
            async (r) =>
              [
                r.headers['x-notify-replay-of'],
                { key: r.key, value: await codec.decode('notifications.dispatch.webhook', r.value) },
              ] as const,
          ),
        ),
      );
      expect(byEntry.get(idOf('first'))).toEqual({ key: first.recipient, value: { ...first, attempt: 0, not_before: 0, replay: 1 } });
      // Dead on the retry topic (keyed by notification id), back on the dispatch topic keyed by recipient.
      expect(byEntry.get(idOf('retried'))).toEqual({ key: retried.recipient, value: { ...retried, attempt: 0, not_before: 0, replay: 1 } });
      expect(byEntry.get(idOf('first, replayed once'))?.value).toMatchObject({ notification_id: first.notification_id, replay: 2 });

      // Replayed entries are left out of the next call; the undecodable one is reported again.
      expect((await call('POST', '/v1/admin/dlq/replay', op, { channel: 'webhook', code: 'http_410', from, to })).body).toMatchObject({
        count: 0,
        replayed: [],
        skipped: [{ id: idOf('undecodable') }],
      });
      // Forced, oldest first, one at a time: the first notification's third replay.
      const forced = await call('POST', '/v1/admin/dlq/replay', op, { stage: 'channel-webhook', from, to, force: true, limit: 1 });
      expect(forced.body).toEqual({ count: 1, replayed: [idOf('first')], skipped: [], limit_reached: true });
      const third = await waitFor('the forced replay', () => target.records[3]);
      expect(await codec.decode('notifications.dispatch.webhook', third.value)).toMatchObject({
        notification_id: first.notification_id,
        replay: 3,
      });
    } finally {
      await target.close();
    }
    const marks = await db.query<{ id: string; replay_count: number }>(
      'select id::text, replay_count from dlq_entries where kafka_namespace = $1',
      [stack.namespace],
    );
    expect(Object.fromEntries(marks.rows.map((r) => [r.id, r.replay_count]))).toEqual({
      [idOf('first')]: 2,
      [idOf('retried')]: 1,
      [idOf('other code')]: 0,
      [idOf('other channel')]: 0,
      [idOf('too old')]: 0,
      [idOf('undecodable')]: 0,
      [idOf('first, replayed once')]: 1,
    });
  });

  it('refuses a filter that is empty or wrong, and callers who are not operators', async () => {
    const op = stack.operatorToken(TENANT);
    expect((await call('POST', '/v1/admin/dlq/replay', op, {})).body).toMatchObject({
      error: { code: 'invalid_filter', fields: [{ field: 'body' }] },
    });
    const wrong = await call('POST', '/v1/admin/dlq/replay', op, { channel: 'fax', from: to, to: from });
    expect(wrong.status).toBe(400);
    expect((wrong.body.error as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual(['body.channel', 'body.to']);
    expect((await call('POST', '/v1/admin/dlq/replay', stack.userToken(TENANT, 'u1'), { channel: 'webhook' })).status).toBe(403);
  });
});
