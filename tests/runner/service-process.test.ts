/**
 * A service as deployed: the aggregator's main.ts in a child process on the real stack. Its ops server
 * answers health, readiness and Prometheus metrics, and SIGTERM stops the worker gracefully (exit 0).
 */
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { intentId, notificationId, type Intent } from '@notify/schemas';
import { startService, type ServiceProcess } from '../support/services';
import { waitFor } from '../support/wait';
import { env, quietKafkaLogger, rawKafka, startGroupAtEnd } from './harness';

const RUN = randomUUID().slice(0, 8);
const SUFFIX = `sigterm-${RUN}`;

function unroutableIntent(): Intent {
  const eventId = `svc-${RUN}`;
  const recipient = `svc${RUN}/u1`;
  return {
    intent_id: intentId(eventId, recipient),
    event_id: eventId,
    tenant: `svc${RUN}`,
    recipient,
    user_id: 'u1',
    type: 'SERVICE_TEST',
    severity: 'info',
    severity_label: 'info',
    channels: ['carrier-pigeon'],
    notification_ids: { 'carrier-pigeon': notificationId(eventId, recipient, 'carrier-pigeon') },
    template: 'SERVICE_TEST',
    priority: 'normal',
    rule: null,
    bypass_quiet_hours: false,
    mandatory: false,
    batching: null,
    escalation: [],
    payload: '{}',
    dedupe_key: null,
    labels: {},
    inhibit_labels: [],
    occurred_at: Date.now(),
    routed_at: Date.now(),
    team_channels: [],
  };
}

/** The value of one sample of a metric, matched by metric name and one label. */
function sample(metrics: string, name: string, label: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('aggregator as a child process', () => {
  let admin: Admin;
  let producer: ProducerPort;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    admin = rawKafka(`service-test-${RUN}`).admin();
    await admin.connect();
    producer = createKafka({ clientId: `service-test-${RUN}`, brokers: env.brokers, logger: quietKafkaLogger }).producer();
    await producer.connect();
    // A new group would otherwise start at the beginning of notifications.intents and re-release its
    // whole history to the dispatch topics.
    await startGroupAtEnd(admin, `notifications.aggregator.${SUFFIX}`, ['notifications.intents']);
    service = await startService('aggregator', { GROUP_SUFFIX: SUFFIX });
  }, 75_000); // startService itself gives up (and kills the child) after 60 s

  afterAll(async () => {
    await service?.stop();
    await producer?.disconnect();
    await admin?.disconnect();
  }, 30_000);

  const ops = (path: string) => fetch(`http://127.0.0.1:${service?.opsPort}${path}`);

  it('answers /health and /health/ready with 200 once consuming', async () => {
    const health = await ops('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await ops('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await ops('/nope')).status).toBe(404);
  }, 10_000);

  it('exposes Prometheus metrics, counting the records it consumes', async () => {
    const first = await ops('/metrics');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/plain');
    const text = await first.text();
    expect(text).toContain('# TYPE records_consumed_total counter');
    // Notification outcomes are counted by channel workers (@notify/channel), not by every runner.
    expect(text).not.toContain('notifications_emitted_total');
    expect(text).toContain('# TYPE records_produced_total counter');
    expect(text).toMatch(/^process_cpu_seconds_total\{service="aggregator"\} /m);

    const codec = await AvroCodec.connect(env.registryUrl, ['notifications.intents']);
    const intent = unroutableIntent();
    await producer.send([{ topic: 'notifications.intents', key: intent.recipient, value: codec.encode('notifications.intents', intent) }]);
    const consumed = await waitFor(
      'the intent to be counted',
      async () => {
        const n = sample(await (await ops('/metrics')).text(), 'records_consumed_total', 'topic="notifications.intents"');
        return n !== undefined && n >= 1 ? n : undefined;
      },
      20_000,
      250,
    );
    expect(consumed).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('stops gracefully on SIGTERM: worker stopped, exit code 0', async () => {
    const running = service as ServiceProcess;
    const code = await running.stop('SIGTERM');
    const log = running.output.join('');
    expect(code).toBe(0);
    expect(log).toContain('"msg":"shutting down"');
    expect(log).toContain('worker stopped');
    expect(log.indexOf('worker stopping')).toBeLessThan(log.indexOf('worker stopped'));
    await expect(ops('/health')).rejects.toThrow();
  }, 30_000);
});
