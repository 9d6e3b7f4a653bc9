/**
 * @notify/client as a user gets it: packed, installed from the tarball into a project outside the
 * workspace, and driven by plain node scripts against a running pipeline. Its README examples are
 * run as written; a proxy in front of ingest loses answers and sends 429s to exercise the retries.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DeliveryStatus, Event } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { startPipeline, type Pipeline } from '../support/pipeline';
import { inappWebhookRules, MARGIN_CALL_RULE, ORDER_FILLED_RULE } from '../support/seed';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { delivered, statusesOf } from './delivery';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';
import { CLIENT_DIR, installPackedClient, type ScratchProject } from './packed-client';
import { fencedBlock } from './readme-example';

jest.setTimeout(240_000);

const TENANT = `tsclient${randomUUID().slice(0, 8)}`;
const { brokers, registryUrl } = stackEnv(process.env);
const README = join(CLIENT_DIR, 'README.md');

/** A script that publishes one seed 001 order fill through `baseUrl` and prints the outcome as JSON. */
function publishScript(user: string): string {
  return `
import { NotificationClient, PublishError } from '@notify/client';
const client = new NotificationClient({ baseUrl: process.env.BASE_URL, apiKey: process.env.API_KEY, retries: 3, baseDelayMs: 50, timeoutMs: 5000 });
const started = Date.now();
try {
  const result = await client.publish({
    type: 'ORDER_FILLED', producer: 'trading-system', severity: 'medium', dedupe_key: 'order-${user}',
    payload: { user_id: '${user}', order_id: 'order-${user}', symbol: 'AAPL', quantity: 100, price: 150.25 },
  });
  console.log(JSON.stringify({ ok: true, ...result, ms: Date.now() - started }));
} catch (error) {
  if (!(error instanceof PublishError)) throw error;
  console.log(JSON.stringify({ ok: false, status: error.status, code: error.code, fields: error.fields, attempts: error.attempts, ms: Date.now() - started }));
}
`;
}

describe('@notify/client installed from its tarball', () => {
  let pipeline: Pipeline;
  let project: ScratchProject;
  let proxy: FlakyProxy;
  let statuses: TopicReader<DeliveryStatus>;
  let events: TopicReader<Event>;

  beforeAll(async () => {
    [pipeline, project] = await Promise.all([
      startPipeline({ tenant: TENANT, rulesYaml: inappWebhookRules(TENANT, [ORDER_FILLED_RULE, MARGIN_CALL_RULE]) }),
      installPackedClient(),
    ]);
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, pipeline.topic('notifications.delivery-status'));
    events = await readTopic<Event>(brokers, registryUrl, pipeline.topic('notifications.events'));
    proxy = await startFlakyProxy(pipeline.httpUrl);
  });

  afterAll(async () => {
    await proxy?.close();
    await statuses?.close();
    await events?.close();
    await pipeline?.stop();
    project?.remove();
  });

  const viaProxy = () => ({ BASE_URL: proxy.url, API_KEY: pipeline.apiKey });

  it('runs the README HTTP example: both events delivered, the invalid ones refused with their fields', async () => {
    const out = await project.node(fencedBlock(README, 'Example: HTTP', 'js'), {
      NOTIFY_URL: pipeline.httpUrl,
      NOTIFY_API_KEY: pipeline.apiKey,
    });
    const published = /^published (\S+)$/m.exec(out)?.[1];
    const batch = /^batch accepted (\S+) rejected (.+)$/m.exec(out);
    expect(published).toBeDefined();
    expect(JSON.parse(batch?.[2] ?? 'null')).toEqual([{ index: 1, fields: [{ field: 'producer', message: 'must not be empty' }] }]);
    expect(out).toMatch(/^refused 400 invalid_event type: must be .*; severity: unknown severity "apocalyptic"$/m);
    await delivered(statuses, published as string);
    await delivered(statuses, batch?.[1] as string);
  });

  it('runs the README Kafka example: records keyed by dedupe_key in the namespace, both delivered', async () => {
    const out = await project.node(fencedBlock(README, 'Example: Kafka', 'js'), {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      KAFKA_NAMESPACE: pipeline.namespace,
      NOTIFY_TENANT: TENANT,
    });
    const ids = /^published (\S+)$/m.exec(out)?.[1]?.split(',') ?? [];
    expect(ids).toHaveLength(2);
    for (const id of ids) await delivered(statuses, id);
    const records = events.records.filter((r) => ids.includes(r.value.event_id));
    expect(records.map((r) => r.key).sort()).toEqual(['margin_call_user123_20240115', 'margin_call_user456_20240115']);
    expect(records.every((r) => r.value.tenant === TENANT && r.value.severity === 'critical')).toBe(true);
  });

  it('makes one event of a publish whose first answer was lost', async () => {
    proxy.requests.length = 0;
    proxy.plan('drop-answer', 'gateway-timeout');
    const result = JSON.parse(await project.node(publishScript('dropped'), viaProxy())) as { ok: boolean; event_id: string };
    expect(result.ok).toBe(true);
    // Ingest took all three requests; the second and third were the same key and body, answered from the first.
    expect(proxy.requests.map((r) => r.upstreamStatus)).toEqual([202, 202, 202]);
    expect(new Set(proxy.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(proxy.requests.map((r) => r.body)).size).toBe(1);
    await delivered(statuses, result.event_id);
    expect(events.records.filter((r) => r.value.event_id === result.event_id)).toHaveLength(1);
    expect(statusesOf(statuses, result.event_id).filter((s) => s.status === 'accepted')).toHaveLength(1);
  });

  it('waits out a 429 Retry-After and then publishes', async () => {
    proxy.requests.length = 0;
    proxy.plan({ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'rate_limited', message: 'slow down' } } });
    const result = JSON.parse(await project.node(publishScript('limited'), viaProxy())) as { ok: boolean; event_id: string; ms: number };
    expect(result.ok).toBe(true);
    expect(result.ms).toBeGreaterThanOrEqual(1_000);
    expect(proxy.requests).toHaveLength(2);
    await delivered(statuses, result.event_id);
  });

  it('does not retry a 401', async () => {
    proxy.requests.length = 0;
    const result = JSON.parse(await project.node(publishScript('nokey'), { ...viaProxy(), API_KEY: 'not-a-key' })) as Record<
      string,
      unknown
    >;
    expect(result).toMatchObject({ ok: false, status: 401, code: 'unauthorized', attempts: 1 });
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]?.upstreamStatus).toBe(401);
  });
});
