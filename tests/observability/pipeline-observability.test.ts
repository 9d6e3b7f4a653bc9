/**
 * Observability of a running pipeline (every service as its own process, plus the tracker and the API):
 * one event posted over HTTP is traced across every Kafka hop, into the API's WebSocket fan-out, into a
 * local OTLP/HTTP JSON collector, and a user's ack over the API starts a trace the aggregator continues; its trace id
 * is on the log lines of every stage, every service's /metrics exposes the pipeline metrics with lag
 * for its inputs, and the tracker stores the outcome.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { notificationId, recipientKey } from '@notify/schemas';
import { signUserToken } from '../../services/api/src/auth';
import { freePort } from '../support/ports';
import { Client } from 'pg';
import { stackEnv } from '../../scripts/src/stack-env';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { inappWebhookRules } from '../support/seed';
import { startService, type ServiceProcess } from '../support/services';
import { waitFor } from '../support/wait';
import { families, samples } from './metrics-text';
import { startOtlpCollector, type CollectedSpan, type OtlpCollector } from './otlp-collector';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `obs${RUN}`;
const USER = `user-${RUN}`;
const { databaseUrl } = stackEnv(process.env);
const SERVER = 2;
const CONSUMER = 5;
const RULES = inappWebhookRules(TENANT);
const INPUTS: Record<string, string> = {
  ingest: 'notifications.events',
  router: 'notifications.accepted',
  aggregator: 'notifications.intents',
  'channel-webhook': 'notifications.dispatch.webhook',
  'channel-inapp': 'notifications.dispatch.inapp',
  tracker: 'notifications.delivery-status',
};

describe('pipeline observability', () => {
  let collector: OtlpCollector;
  let pipeline: Pipeline;
  let tracker: ServiceProcess;
  let api: ServiceProcess;
  let apiUrl: string;
  const jwtSecret = randomBytes(32).toString('base64url');
  let db: Client;
  let eventId: string;
  let traceId: string;

  const services = (): ServiceProcess[] => [...pipeline.services, tracker];
  const metricsOf = async (s: ServiceProcess): Promise<string> => (await fetch(`http://127.0.0.1:${s.opsPort}/metrics`)).text();

  beforeAll(async () => {
    collector = await startOtlpCollector();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'debug',
      LAG_REFRESH_MS: '1000',
    };
    pipeline = await startPipeline({ tenant: TENANT, rulesYaml: RULES, env });
    tracker = await startService('tracker', { ...env, KAFKA_NAMESPACE: pipeline.namespace });
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    // Ready only once its fan-out group has joined, so the event's inbox item reaches it.
    api = await startService('api', {
      ...env,
      KAFKA_NAMESPACE: pipeline.namespace,
      JWT_SECRET: jwtSecret,
      CODE_HASH_SECRET: randomBytes(32).toString('base64url'),
      SEALING_KEYS: `test:${randomBytes(32).toString('base64')}`,
      HTTP_PORT: String(apiPort),
      HTTP_HOST: '127.0.0.1',
    });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    eventId = `obs-${randomUUID()}`;
    const response = await fetch(`${pipeline.httpUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pipeline.apiKey}` },
      body: JSON.stringify({
        event_id: eventId,
        type: 'MARGIN_CALL',
        producer: 'risk-system',
        severity: 'critical',
        payload: { user_id: USER, account_id: 'acc789', shortfall: 5000 },
      }),
    });
    expect(response.status).toBe(202);
    const server = await waitFor(
      'the ingest request span',
      () => collector.spans.find((s) => s.service === 'ingest' && s.kind === SERVER && s.name === 'POST /v1/events'),
      30_000,
    );
    traceId = server.traceId;
  });

  afterAll(async () => {
    await api?.stop();
    await tracker?.stop();
    await pipeline?.stop();
    await db?.query('delete from delivery_status_events where tenant = $1', [TENANT]);
    await db?.query('delete from delivery_summary where tenant = $1', [TENANT]);
    await db?.end();
    await collector?.close();
  });

  it('follows the event across every Kafka hop in one trace, each hop a child of the one before', async () => {
    const chain = await waitFor(
      'consumer spans of every stage',
      () => {
        const mine = collector.spans.filter((s) => s.traceId === traceId);
        const consumerOf = (service: string) => mine.find((s) => s.service === service && s.kind === CONSUMER);
        const stages = ['ingest', 'router', 'aggregator', 'channel-inapp', 'channel-webhook'].map(consumerOf);
        return stages.every(Boolean) ? { mine, stages: stages as CollectedSpan[] } : undefined;
      },
      60_000,
    );
    const [ingest, router, aggregator, inapp, webhook] = chain.stages as [
      CollectedSpan,
      CollectedSpan,
      CollectedSpan,
      CollectedSpan,
      CollectedSpan,
    ];
    const server = chain.mine.find((s) => s.kind === SERVER) as CollectedSpan;
    expect(server.parentSpanId).toBe('');
    expect(ingest.parentSpanId).toBe(server.spanId);
    expect(router.parentSpanId).toBe(ingest.spanId);
    expect(aggregator.parentSpanId).toBe(router.spanId);
    expect(inapp.parentSpanId).toBe(aggregator.spanId);
    expect(webhook.parentSpanId).toBe(aggregator.spanId);
    expect(inapp.attributes['messaging.destination.name']).toBe('notifications.dispatch.inapp');
    expect(new Set([server, ingest, router, aggregator, inapp, webhook].map((s) => s.spanId)).size).toBe(6);
    expect(new Set(chain.mine.map((s) => s.traceId))).toEqual(new Set([traceId]));
  });

  it("continues the trace into the API's WebSocket fan-out, and out of its HTTP routes into the aggregator", async () => {
    const { inapp, fanout } = await waitFor(
      "the API's consumer span of the inbox item",
      () => {
        const mine = collector.spans.filter((s) => s.traceId === traceId);
        const inappSpan = mine.find((s) => s.service === 'channel-inapp' && s.kind === CONSUMER);
        const fanoutSpan = mine.find((s) => s.service === 'api' && s.kind === CONSUMER);
        return inappSpan && fanoutSpan ? { inapp: inappSpan, fanout: fanoutSpan } : undefined;
      },
      60_000,
    );
    expect(fanout.parentSpanId).toBe(inapp.spanId);
    expect(fanout.attributes['messaging.destination.name']).toBe('notifications.inbox');

    const id = notificationId(eventId, recipientKey(TENANT, USER), 'inapp');
    const token = signUserToken(jwtSecret, { tenant: TENANT, userId: USER, role: 'user' }, 600);
    const ack = await fetch(`${apiUrl}/v1/notifications/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notification_id: id }),
    });
    expect(ack.status).toBe(200);
    const { server, consumer } = await waitFor(
      "the ack's server span and the aggregator's span of the Ack",
      () => {
        const serverSpan = collector.spans.find((s) => s.service === 'api' && s.kind === SERVER && s.name === 'POST /v1/notifications/ack');
        const consumerSpan =
          serverSpan && collector.spans.find((s) => s.traceId === serverSpan.traceId && s.service === 'aggregator' && s.kind === CONSUMER);
        return serverSpan && consumerSpan ? { server: serverSpan, consumer: consumerSpan } : undefined;
      },
      30_000,
    );
    expect(consumer.parentSpanId).toBe(server.spanId);
    expect(consumer.attributes['messaging.destination.name']).toBe('notifications.acks');
  });

  it("links the tracker's chunk span to the statuses it stored, across traces", async () => {
    const inapp = await waitFor(
      "the in-app worker's span",
      () => collector.spans.find((s) => s.traceId === traceId && s.service === 'channel-inapp' && s.kind === CONSUMER),
      30_000,
    );
    const chunk = await waitFor(
      "a tracker span linked to the in-app worker's span",
      () =>
        collector.spans.find(
          (s) => s.service === 'tracker' && s.kind === CONSUMER && s.links.some((l) => l.traceId === traceId && l.spanId === inapp.spanId),
        ),
      60_000,
    );
    expect(chunk.attributes['messaging.destination.name']).toBe('notifications.delivery-status');
    expect(Number(chunk.attributes['messaging.batch.message_count'])).toBeGreaterThanOrEqual(1);
  });

  it('puts the trace id on the log lines each stage wrote while handling the event', async () => {
    for (const service of ['ingest', 'router', 'aggregator', 'channel-inapp', 'channel-webhook']) {
      const proc = pipeline.services.find((s) => s.name === service) as ServiceProcess;
      const lines = await waitFor(
        `${service} log lines with the trace id`,
        () => {
          const found = proc.output
            .join('')
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((l) => l.trace_id === traceId);
          return found.length > 0 ? found : undefined;
        },
        20_000,
      );
      expect(lines[0]).toMatchObject({
        service,
        msg: 'record handled',
        trace_id: traceId,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
    }
  });

  it('exposes the pipeline metrics on every service, the notification counters on the channel workers only, with counts where work happened and lag per input partition', async () => {
    await waitFor(
      'the tracker to store both outcomes',
      async () => {
        const rows = await db.query("select channel from delivery_summary where event_id = $1 and terminal_status = 'delivered'", [
          eventId,
        ]);
        return rows.rowCount === 2 ? true : undefined;
      },
      60_000,
    );
    for (const service of services()) {
      const text = await waitFor(
        `${service.name} lag on ${INPUTS[service.name]}`,
        async () => {
          const t = await metricsOf(service);
          return samples(t, 'kafka_consumer_lag').some((s) => s.labels.topic === INPUTS[service.name]) ? t : undefined;
        },
        20_000,
      );
      const names = families(text);
      for (const name of ['kafka_consumer_lag', 'records_consumed_total', 'record_failures_total']) {
        expect({ service: service.name, name, exposed: names.has(name) }).toEqual({ service: service.name, name, exposed: true });
      }
      // Notification outcomes are the channel library's metrics: a channel worker has them, the rest of the pipeline does not.
      const channelWorker = service.name.startsWith('channel-');
      for (const name of [
        'notifications_emitted_total',
        'notifications_delivered_total',
        'notifications_failed_total',
        'delivery_latency_seconds',
      ]) {
        expect({ service: service.name, name, exposed: names.has(name) }).toEqual({ service: service.name, name, exposed: channelWorker });
      }
      expect(samples(text, 'kafka_consumer_lag').every((s) => s.labels.service === service.name && s.value >= 0)).toBe(true);
    }
    for (const [service, channel] of [
      ['channel-inapp', 'inapp'],
      ['channel-webhook', 'webhook'],
    ] as const) {
      const text = await metricsOf(pipeline.services.find((s) => s.name === service) as ServiceProcess);
      expect(samples(text, 'notifications_emitted_total').find((s) => s.labels.channel === channel)?.value).toBe(1);
      expect(samples(text, 'notifications_delivered_total').find((s) => s.labels.channel === channel)?.value).toBe(1);
      expect(samples(text, 'delivery_latency_seconds_count').find((s) => s.labels.channel === channel)?.value).toBe(1);
    }
    const rows = await db.query(
      'select channel, latency_ms from delivery_summary where event_id = $1 and channel is not null order by channel',
      [eventId],
    );
    expect(rows.rows.map((r) => r.channel)).toEqual(['inapp', 'webhook']);
    expect(rows.rows.every((r) => Number(r.latency_ms) >= 0 && Number(r.latency_ms) < 60_000)).toBe(true);
  });

  it('answers /health and /health/ready on every service', async () => {
    for (const service of services()) {
      expect((await fetch(`http://127.0.0.1:${service.opsPort}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${service.opsPort}/health/ready`)).status).toBe(200);
    }
  });
});
