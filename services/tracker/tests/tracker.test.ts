/**
 * The tracker as deployed (its own process through main.ts) against real Kafka and Postgres:
 * statuses produced to its namespace's delivery-status topic become event rows and summaries;
 * a redelivered record changes nothing; a chunk is written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { AvroCodec } from '@notify/kafka';
import { deliveryStatus, type DeliveryStatus } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { waitFor } from '../../../tests/support/wait';

jest.setTimeout(120_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `trk${RUN}`;
const NAMESPACE = `t-${RUN}.`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const OCCURRED = Date.now() - 60_000;

function status(id: string, fields: Partial<DeliveryStatus> & Pick<DeliveryStatus, 'status' | 'stage'>, afterMs: number): DeliveryStatus {
  return deliveryStatus({
    notification_id: `${RUN}-${id}`,
    event_id: `${RUN}-event`,
    tenant: TENANT,
    recipient: 'u1',
    type: 'MARGIN_CALL',
    occurred_at: OCCURRED,
    ...fields,
    at: OCCURRED + afterMs,
  });
}

describe('tracker', () => {
  let tracker: ServiceProcess;
  let producer: Producer;
  let codec: AvroCodec;
  let db: Client;

  const send = (statuses: DeliveryStatus[]) =>
    producer.send({
      topic: `${NAMESPACE}notifications.delivery-status`,
      messages: statuses.map((s) => ({ key: s.notification_id, value: codec.encode('notifications.delivery-status', s) })),
    });
  const summary = async (id: string) =>
    (await db.query('select * from delivery_summary where notification_id = $1', [`${RUN}-${id}`])).rows[0];
  const events = async (id: string) =>
    (
      await db.query('select status, stage, attempt, recorded_at from delivery_status_events where notification_id = $1 order by at', [
        `${RUN}-${id}`,
      ])
    ).rows;

  beforeAll(async () => {
    await provision({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
    tracker = await startService('tracker', { KAFKA_NAMESPACE: NAMESPACE, LAG_REFRESH_MS: '500' });
    codec = await AvroCodec.connect(registryUrl, ['notifications.delivery-status']);
    producer = new Kafka({ clientId: 'tracker-test', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await tracker?.stop();
    await db?.query('delete from delivery_status_events where tenant = $1', [TENANT]);
    await db?.query('delete from delivery_summary where tenant = $1', [TENANT]);
    await db?.end();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
  });

  it('stores each status once and a summary with the terminal status and latency', async () => {
    await send([
      status('a', { status: 'routed', stage: 'router' }, 100),
      status('a', { status: 'queued', stage: 'aggregator', channel: 'inapp' }, 200),
      status('a', { status: 'delivered', stage: 'channel-inapp', channel: 'inapp', provider: 'inbox', terminal: true }, 1500),
    ]);
    const row = await waitFor('delivered summary', async () =>
      (await summary('a'))?.terminal_status === 'delivered' ? summary('a') : undefined,
    );
    expect(row).toMatchObject({
      tenant: TENANT,
      channel: 'inapp',
      type: 'MARGIN_CALL',
      recipient: 'u1',
      latest_status: 'delivered',
      terminal_status: 'delivered',
      latency_ms: '1500',
    });
    expect(row.created_at.getTime()).toBe(OCCURRED + 100);
    const rows = await events('a');
    expect(rows.map((r) => r.status)).toEqual(['routed', 'queued', 'delivered']);
    // Produced in one send to one partition, the three arrive in one chunk: one transaction, one now().
    expect(new Set(rows.map((r) => r.recorded_at.getTime())).size).toBe(1);
  });

  it('upserts redelivered and retried statuses and keeps the first terminal outcome', async () => {
    await send([
      status('b', { status: 'queued', stage: 'aggregator', channel: 'webhook' }, 100),
      status('b', { status: 'retrying', stage: 'channel-webhook', channel: 'webhook', reason: 'http_503', attempt: 1 }, 200),
    ]);
    await waitFor('retrying summary', async () => ((await summary('b'))?.latest_status === 'retrying' ? true : undefined));
    expect((await summary('b')).reason).toBe('http_503');
    await send([
      status('b', { status: 'retrying', stage: 'channel-webhook', channel: 'webhook', reason: 'http_503', attempt: 2 }, 300),
      status('b', { status: 'failed', stage: 'channel-webhook', channel: 'webhook', reason: 'http_410', attempt: 3, terminal: true }, 400),
    ]);
    // The whole first batch again, as after a crash before commit.
    await send([status('b', { status: 'queued', stage: 'aggregator', channel: 'webhook' }, 100)]);
    const row = await waitFor('failed summary', async () =>
      (await summary('b'))?.terminal_status === 'failed' ? summary('b') : undefined,
    );
    await waitFor('redelivered queued to be consumed', async () => {
      const res = await fetch(`http://127.0.0.1:${tracker.opsPort}/metrics`);
      const text = await res.text();
      const consumed = text
        .split('\n')
        .filter((l) => l.startsWith('records_consumed_total'))
        .map((l) => Number(l.split(' ').pop()));
      return consumed.reduce((a, b) => a + b, 0) >= 8 ? true : undefined;
    });
    expect(row).toMatchObject({ latest_status: 'failed', terminal_status: 'failed', reason: 'http_410', latency_ms: '400' });
    expect((await events('b')).map((r) => [r.status, r.attempt])).toEqual([
      ['queued', 0],
      ['retrying', 2],
      ['failed', 3],
    ]);
    expect((await summary('b')).latest_status).toBe('failed');
  });

  it('shows a dead letter that an operator replay delivered as delivered, whatever chunk each terminal came in', async () => {
    await send([
      status('r', { status: 'dead_lettered', stage: 'channel-webhook', channel: 'webhook', reason: 'http_410', terminal: true }, 400),
    ]);
    await waitFor('dead-lettered summary', async () => ((await summary('r'))?.terminal_status === 'dead_lettered' ? true : undefined));
    await send([status('r', { status: 'delivered', stage: 'channel-webhook', channel: 'webhook', terminal: true, replay: 1 }, 900)]);
    const row = await waitFor('replayed summary', async () =>
      (await summary('r'))?.terminal_status === 'delivered' ? summary('r') : undefined,
    );
    expect(row).toMatchObject({ terminal_replay: 1, reason: null, latency_ms: '900' });
    // The original run's terminal redelivered afterwards (a crash before commit) does not take it back.
    await send([
      status('r', { status: 'dead_lettered', stage: 'channel-webhook', channel: 'webhook', reason: 'http_410', terminal: true }, 400),
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await summary('r')).toMatchObject({ terminal_status: 'delivered', terminal_replay: 1 });
  });

  it('exports its consumer lag per partition even when idle', async () => {
    const lagLines = async () =>
      (await (await fetch(`http://127.0.0.1:${tracker.opsPort}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('kafka_consumer_lag{'));
    const first = await lagLines();
    expect(first.length).toBeGreaterThanOrEqual(6);
    expect(first.every((l) => l.includes('topic="notifications.delivery-status"'))).toBe(true);
    // The earlier tests' last commit reaches the gauge on the monitor's next tick (500 ms here), not at once.
    const settled = await waitFor('lag to settle at zero', async () => {
      const lines = await lagLines();
      return lines.every((l) => l.endsWith(' 0')) ? lines : undefined;
    });
    expect(settled.length).toBe(first.length);
  });
});
