/**
 * One failing endpoint stays its own tenant's problem (issue 15, item 5), through the real
 * channel-webhook process and the real API on the same Kafka namespace and Postgres:
 *
 * - tenant A's endpoint stops answering; after its first timeout its circuit opens, so A's later
 *   sends fail at once (through the retry topic) instead of each holding the partition for
 *   WEBHOOK_TIMEOUT_MS, and tenant B's webhooks, on the SAME partition (same key), keep their latency;
 * - A's endpoint failing for longer than WEBHOOK_DISABLE_AFTER_MS (3 s here) is disabled: one audit
 *   row, A's dispatches end `dead_lettered` / `endpoint_disabled` with a detail naming when and why,
 *   and later dispatches to A make no request at all;
 * - the operator re-enables it through POST /v1/admin/webhook-endpoints/enable, which replays the
 *   backlog, and every one of A's notifications reaches A's endpoint exactly once.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DeliveryStatus, Dispatch } from '@notify/schemas';
import { endpointId } from '../../services/channel-webhook/src/endpoints';
import { verify } from '../../services/channel-webhook/src/signature';
import { startApiStack, type ApiStack } from '../../services/api/tests/support/api-stack';
import { stackEnv } from '../../scripts/src/stack-env';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { makeDispatch } from '../support/dispatches';
import { startScriptedServer, type FakeRequest, type ScriptedServer } from '../support/fakes/scripted-server';
import { WEBHOOK_SECRET } from '../support/pipeline';
import { startService, type ServiceProcess } from '../support/services';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const A = `hooks-a-${RUN}`;
const B = `hooks-b-${RUN}`;
const TIMEOUT_MS = 1_000;
/** Long enough for the circuit to open (3 unanswered sends, the default) first: then it is A's refused sends that disable it. */
const DISABLE_AFTER_MS = 6_000;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);

/** A tenant's endpoint: verifies signatures like a customer's receiver, and can be made to never answer. */
interface Endpoint {
  server: ScriptedServer;
  url: string;
  hanging: boolean;
  /** Verified deliveries answered 204: webhook-id → arrival times. */
  arrivals: Map<string, number[]>;
}

async function endpoint(): Promise<Endpoint> {
  const state: Omit<Endpoint, 'server' | 'url'> = { hanging: false, arrivals: new Map() };
  const handle = (request: FakeRequest) => {
    if (state.hanging) return new Promise<never>(() => undefined);
    const id = String(request.headers['webhook-id'] ?? '');
    const headers = {
      id,
      timestamp: String(request.headers['webhook-timestamp'] ?? ''),
      signature: String(request.headers['webhook-signature'] ?? ''),
    };
    if (!verify(WEBHOOK_SECRET, headers, request.body)) return { status: 401 };
    state.arrivals.set(id, [...(state.arrivals.get(id) ?? []), Date.now()]);
    return { status: 204 };
  };
  const server = await startScriptedServer({ handle });
  return Object.assign(state, { server, url: `${server.url}/hooks` });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

describe('a failing tenant endpoint is disabled on its own, and re-enabled with its backlog', () => {
  let stack: ApiStack;
  let worker: ServiceProcess;
  let a: Endpoint;
  let b: Endpoint;
  let producer: Producer;
  let registry: SchemaRegistry;
  let statuses: TopicReader<DeliveryStatus>;
  let db: Client;

  beforeAll(async () => {
    a = await endpoint();
    b = await endpoint();
    stack = await startApiStack();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    worker = await startService('channel-webhook', {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      DATABASE_URL: databaseUrl,
      KAFKA_NAMESPACE: stack.namespace,
      LOG_LEVEL: 'warn',
      WEBHOOK_ENDPOINTS: JSON.stringify({
        [A]: { url: a.url, secrets: [WEBHOOK_SECRET] },
        [B]: { url: b.url, secrets: [WEBHOOK_SECRET] },
      }),
      WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32',
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_DISABLE_AFTER_MS: String(DISABLE_AFTER_MS),
      WEBHOOK_CIRCUIT_OPEN_MS: '1000',
      RETRY_DELAYS_MS: '500',
      RETRY_MAX_RETRIES: '40',
    });
    registry = new SchemaRegistry({ host: registryUrl });
    producer = new Kafka({ clientId: 'endpoint-disable-test', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${stack.namespace}notifications.delivery-status`);
  });

  afterAll(async () => {
    await statuses?.close();
    await producer?.disconnect();
    await worker?.stop();
    await db?.end();
    await stack?.stop();
    await a?.server.close();
    await b?.server.close();
  });

  const of = (id: string) => statuses.records.map((r) => r.value).filter((s) => s.notification_id === id);
  const terminal = (id: string, timeoutMs = 60_000) =>
    waitFor(`terminal status of ${id}`, () => of(id).find((s) => s.terminal), timeoutMs, 50);
  const api = async (method: string, path: string, tenant: string, body?: unknown) => {
    const res = await fetch(`${stack.url()}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.operatorToken(tenant)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  /**
   * Every dispatch to partition 0, so A's and B's share a partition of the dispatch topic; keyed by
   * recipient as the aggregator keys them (the DLQ reads the tenant of a dead letter from that key).
   */
  const sent = new Map<string, number>();
  const send = async (d: Dispatch) => {
    const topic = 'notifications.dispatch.webhook';
    const value = await registry.encode(await registry.getLatestSchemaId(`${topic}-value`), d);
    sent.set(d.notification_id, Date.now());
    await producer.send({ topic: stack.namespace + topic, messages: [{ key: d.recipient, value, partition: 0 }] });
  };
  const bLatencies = (ids: string[]) =>
    ids.map((id) => ((b.arrivals.get(id) ?? [])[0] as number) - (sent.get(id) as number)).sort((x, y) => x - y);

  it('keeps B flowing while A hangs, disables A with a status and an audit row, and replays A once re-enabled', async () => {
    // Baseline: B alone.
    const baseline: string[] = [];
    for (let i = 0; i < 10; i++) {
      const d = makeDispatch('webhook', { tenant: B, user_id: `b${i}` });
      baseline.push(d.notification_id);
      await send(d);
      await terminal(d.notification_id);
    }

    // A stops answering. Its first send waits out the timeout on the dispatch topic, its first two
    // retries on the retry topic; then the circuit (3 unanswered sends, the default) refuses at once.
    a.hanging = true;
    const aIds: string[] = [];
    const first = makeDispatch('webhook', { tenant: A, user_id: 'a-first' });
    aIds.push(first.notification_id);
    await send(first);
    const opened = await waitFor(
      "A's circuit open",
      () => of(first.notification_id).find((s) => s.reason === 'endpoint_circuit_open'),
      30_000,
      50,
    );
    expect(opened).toMatchObject({ status: 'retrying', attempt: 3 });
    const timeouts = of(first.notification_id).slice(0, 3);
    expect(timeouts.map((s) => [s.status, s.attempt])).toEqual([
      ['retrying', 0],
      ['retrying', 1],
      ['retrying', 2],
    ]);
    for (const s of timeouts) expect(s.reason).toMatch(/TIMEOUT/i);

    // Interleaved on the same partition for 8 s: A's sends fail fast, B's keep their latency, and A is disabled on the way.
    const during: string[] = [];
    const until = Date.now() + 8_000;
    for (let i = 0; Date.now() < until; i++) {
      const da = makeDispatch('webhook', { tenant: A, user_id: `a${i}` });
      const dbB = makeDispatch('webhook', { tenant: B, user_id: `b-during-${i}` });
      aIds.push(da.notification_id);
      during.push(dbB.notification_id);
      await send(da);
      await send(dbB);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const id of during) expect((await terminal(id)).status).toBe('delivered');

    const health = await waitFor('A disabled', async () => {
      const { rows } = await db.query<{ endpoint: string; disabled_at: Date | null; disabled_reason: string | null }>(
        'select endpoint, disabled_at, disabled_reason from webhook_endpoint_health where tenant = $1',
        [A],
      );
      return rows[0]?.disabled_at ? rows[0] : undefined;
    });
    expect(health.endpoint).toBe(endpointId(a.url));
    expect(health.disabled_reason).toMatch(/^failing since .* without a success/);

    // Every A notification ends dead-lettered as endpoint_disabled, telling when and why.
    const aEnds = await Promise.all(aIds.map((id) => terminal(id)));
    expect(new Set(aEnds.map((s) => `${s.status}/${s.reason}`))).toEqual(new Set(['dead_lettered/endpoint_disabled']));
    for (const s of aEnds) expect(s.detail).toMatch(/was disabled at \d{4}-\d\d-\d\dT.*: failing since .* not sent/);
    const { rows: audit } = await db.query<{ actor_role: string; actor_user_id: string; detail: { endpoint: string } }>(
      `select actor_role, actor_user_id, detail from audit_log where action = 'webhook_endpoint_disabled' and subject_tenant = $1`,
      [A],
    );
    expect(audit).toEqual([
      expect.objectContaining({
        actor_role: 'service',
        actor_user_id: 'channel-webhook',
        detail: expect.objectContaining({ endpoint: health.endpoint }),
      }),
    ]);

    // While disabled, A's new dispatches make no request at all; B's still arrive.
    const requestsToA = a.server.requests.length;
    const later = [
      makeDispatch('webhook', { tenant: A, user_id: 'a-later-1' }),
      makeDispatch('webhook', { tenant: A, user_id: 'a-later-2' }),
    ];
    const bLater = makeDispatch('webhook', { tenant: B, user_id: 'b-later' });
    for (const d of later) {
      aIds.push(d.notification_id);
      await send(d);
    }
    await send(bLater);
    for (const d of later)
      expect(await terminal(d.notification_id)).toMatchObject({ status: 'dead_lettered', reason: 'endpoint_disabled' });
    expect((await terminal(bLater.notification_id)).status).toBe('delivered');
    expect(a.server.requests.length).toBe(requestsToA);

    // B's latency, measured: before A failed, and while A hung and was disabled on the same partition.
    const before = bLatencies(baseline);
    const meanwhile = bLatencies(during);
    console.log(
      `B webhook latency (produce → endpoint), ms: baseline p50 ${quantile(before, 0.5)} max ${quantile(before, 1)}; ` +
        `while A hung (${meanwhile.length} deliveries, ${aIds.length} of A's) p50 ${quantile(meanwhile, 0.5)} p90 ${quantile(meanwhile, 0.9)} max ${quantile(meanwhile, 1)}; ` +
        `requests that reached A while it hung: ${requestsToA}`,
    );
    // A send held up behind a hanging one waits out most of the timeout; none did.
    expect(quantile(meanwhile, 1)).toBeLessThan(TIMEOUT_MS * 0.75);
    expect(quantile(meanwhile, 0.5)).toBeLessThan(Math.max(3 * quantile(before, 0.5), 150));
    // The circuit kept A's requests to the first timeout and a few retries testing it, far fewer than A's dispatches.
    expect(requestsToA).toBeLessThan(aIds.length / 2);

    // The tenant sees it through the API; another tenant does not.
    const listed = await api('GET', '/v1/admin/webhook-endpoints', A);
    expect(listed.json.items).toEqual([
      expect.objectContaining({ tenant: A, endpoint: health.endpoint, status: 'disabled', disabled_reason: health.disabled_reason }),
    ]);
    expect((await api('GET', '/v1/admin/webhook-endpoints', B)).json.items).toEqual([]);

    // Every dead letter is filed before the re-enable, so the backlog is complete.
    await waitFor('A dead letters filed', async () => {
      const { rows } = await db.query<{ n: string }>(
        `select count(*)::text as n from dlq_entries where tenant = $1 and stage = 'channel-webhook' and code = 'endpoint_disabled'`,
        [A],
      );
      return Number(rows[0]?.n) === aIds.length ? true : undefined;
    });

    // A's endpoint is fixed; the operator re-enables it, which replays the backlog.
    a.hanging = false;
    const enabled = await api('POST', '/v1/admin/webhook-endpoints/enable', A, { endpoint: health.endpoint });
    expect(enabled.status).toBe(200);
    expect(enabled.json).toMatchObject({
      endpoint: { tenant: A, status: 'healthy', disabled_at: null, enabled_by: `${A}/operator-1` },
      replay: { count: aIds.length, skipped: [] },
    });
    const replayed = await Promise.all(
      aIds.map((id) => waitFor(`replayed delivery of ${id}`, () => of(id).find((s) => s.status === 'delivered'), 60_000, 50)),
    );
    expect(replayed.map((s) => s.replay)).toEqual(aIds.map(() => 1));
    // Exactly once each at A's endpoint, also a while later.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(aIds.map((id) => a.arrivals.get(id)?.length ?? 0)).toEqual(aIds.map(() => 1));
    expect([...a.arrivals.keys()].sort()).toEqual([...aIds].sort());
    // A second re-enable finds nothing to do.
    expect((await api('POST', '/v1/admin/webhook-endpoints/enable', A, { endpoint: health.endpoint })).status).toBe(409);
    const { rows: enabledAudit } = await db.query(
      `select actor_role, actor_user_id from audit_log where action = 'webhook_endpoint_enabled' and subject_tenant = $1`,
      [A],
    );
    expect(enabledAudit).toEqual([{ actor_role: 'operator', actor_user_id: 'operator-1' }]);
  });
});
