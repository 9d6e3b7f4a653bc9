/**
 * Ingest as a real process against Kafka, the registry and Postgres: its dedupe window outlives a
 * restart, the Idempotency-Key header answers a repeated request as the first time without producing
 * again, the batch endpoint answers per event, and dedupe keys belong to a tenant.
 */
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '@notify/db';
import type { AcceptedEvent, DeliveryStatus, Event } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { freePort } from '../../../tests/support/ports';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { requestHash } from '../src/idempotency-key';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT_A = `ing${RUN}a`;
const TENANT_B = `ing${RUN}b`;
const KEY_A = `key-a-${RUN}`;
const KEY_B = `key-b-${RUN}`;
const NAMESPACE = `t-ing-${RUN}.`;
const stack = stackEnv(process.env);
const ENV = {
  KAFKA_NAMESPACE: NAMESPACE,
  EVENT_PARTITIONS: '2',
  USER_PARTITIONS: '2',
  SMALL_PARTITIONS: '1',
  LOG_LEVEL: 'warn',
  HTTP_HOST: '127.0.0.1',
  INGEST_API_KEYS: `${TENANT_A}:${KEY_A},${TENANT_B}:${KEY_B}`,
};

let ingest: ServiceProcess;
let url: string;
let db: Db;
let events: TopicReader<Event>;
let accepted: TopicReader<AcceptedEvent>;
let statuses: TopicReader<DeliveryStatus>;

async function startIngest(): Promise<void> {
  const port = await freePort();
  ingest = await startService('ingest', { ...ENV, HTTP_PORT: String(port) });
  url = `http://127.0.0.1:${port}`;
}

interface Reply {
  status: number;
  headers: Headers;
  /** The parsed JSON answer; its shape is what each test asserts. */
  json: any;
}

async function post(path: string, body: unknown, options: { apiKey?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey ?? KEY_A}`, ...options.headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

const event = <F extends Record<string, unknown>>(fields: F = {} as F) => ({
  type: 'ORDER_FILLED',
  producer: 'ingest-test',
  payload: { user_id: 'u1' },
  ...fields,
});
const statusesOf = (eventId: string) => statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
const producedWith = (eventId: string) => events.records.filter((r) => r.value.event_id === eventId);

/** The ingest status of an event: accepted, or suppressed (with why). */
const verdictOf = (eventId: string) => waitFor(`ingest's status of ${eventId}`, () => statusesOf(eventId)[0], 30_000);

/** Long enough for a second record to show up if one had been produced. */
const settle = () => new Promise((r) => setTimeout(r, 1_500));

beforeAll(async () => {
  await provision({ ...process.env, ...ENV });
  db = createDb(stack.databaseUrl, 2);
  const topic = (name: string) => `${NAMESPACE}${name}`;
  events = await readTopic<Event>(stack.brokers, stack.registryUrl, topic('notifications.events'));
  accepted = await readTopic<AcceptedEvent>(stack.brokers, stack.registryUrl, topic('notifications.accepted'));
  statuses = await readTopic<DeliveryStatus>(stack.brokers, stack.registryUrl, topic('notifications.delivery-status'));
  await startIngest();
});

afterAll(async () => {
  await ingest?.stop();
  await Promise.all([events, accepted, statuses].map((r) => r?.close()));
  for (const tenant of [TENANT_A, TENANT_B]) {
    await db?.deleteFrom('ingest_dedupe').where('tenant', '=', tenant).execute();
    await db?.deleteFrom('ingest_idempotency').where('tenant', '=', tenant).execute();
  }
  await db?.destroy();
  await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
});

describe('dedupe window', () => {
  it('still suppresses a dedupe key after ingest restarts, and still lets the first event be redelivered', async () => {
    const dedupeKey = `restart-${RUN}`;
    const first = event({ event_id: `first-${RUN}`, dedupe_key: dedupeKey });
    expect((await post('/v1/events', first)).status).toBe(202);
    expect(await verdictOf(first.event_id)).toMatchObject({ status: 'accepted' });

    await ingest.stop();
    await startIngest();

    const second = event({ event_id: `second-${RUN}`, dedupe_key: dedupeKey });
    expect((await post('/v1/events', second)).status).toBe(202);
    expect(await verdictOf(second.event_id)).toMatchObject({
      status: 'suppressed',
      reason: 'duplicate',
      detail: expect.stringContaining(first.event_id),
    });

    // The same event again (a producer's retry) is not a duplicate of itself.
    expect((await post('/v1/events', first)).status).toBe(202);
    await waitFor('the redelivered event accepted again', () => (statusesOf(first.event_id).length >= 2 ? true : undefined), 30_000);
    expect(statusesOf(first.event_id).map((s) => s.status)).toEqual(['accepted', 'accepted']);
    expect(accepted.records.filter((r) => r.value.event_id === second.event_id)).toEqual([]);
  });

  it('lets two tenants use the same dedupe key', async () => {
    const dedupeKey = `shared-${RUN}`;
    const a = event({ event_id: `tenant-a-${RUN}`, dedupe_key: dedupeKey });
    const b = event({ event_id: `tenant-b-${RUN}`, dedupe_key: dedupeKey });
    expect((await post('/v1/events', a, { apiKey: KEY_A })).status).toBe(202);
    expect((await post('/v1/events', b, { apiKey: KEY_B })).status).toBe(202);
    expect(await verdictOf(a.event_id)).toMatchObject({ status: 'accepted', tenant: TENANT_A });
    expect(await verdictOf(b.event_id)).toMatchObject({ status: 'accepted', tenant: TENANT_B });
    await waitFor('both events accepted', () =>
      accepted.records.filter((r) => [a.event_id, b.event_id].includes(r.value.event_id)).length === 2 ? true : undefined,
    );
  });
});

describe('Idempotency-Key', () => {
  it('answers a repeated request as the first time and produces its event once; another body gets 409', async () => {
    const key = `publish-${RUN}`;
    const body = event({ dedupe_key: `idem-${RUN}` });
    const first = await post('/v1/events', body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const eventId = first.json.event_id as string;

    const again = await post('/v1/events', { ...body }, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = await post('/v1/events', { ...body, payload: { user_id: 'u2' } }, { headers: { 'idempotency-key': key } });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('idempotency_key_reused');

    await waitFor('the event on notifications.events', () => (producedWith(eventId).length > 0 ? true : undefined));
    await verdictOf(eventId);
    await settle();
    expect(producedWith(eventId)).toHaveLength(1);
    expect(statusesOf(eventId).map((s) => s.status)).toEqual(['accepted']);
  });

  it('keeps keys per tenant: the same key under another API key is a request of its own', async () => {
    const key = `per-tenant-${RUN}`;
    const a = await post('/v1/events', event(), { apiKey: KEY_A, headers: { 'idempotency-key': key } });
    const b = await post('/v1/events', event({ payload: { user_id: 'other' } }), { apiKey: KEY_B, headers: { 'idempotency-key': key } });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.json.event_id).not.toBe(a.json.event_id);
  });

  it('answers 409 in flight while the same request is still being answered', async () => {
    const key = `in-flight-${RUN}`;
    const body = event();
    // What an unfinished first request leaves in the table.
    await db
      .insertInto('ingest_idempotency')
      .values({
        tenant: TENANT_A,
        key,
        request_hash: requestHash('/v1/events', body),
        status: null,
        response: null,
        created_at: new Date(),
      })
      .execute();
    const reply = await post('/v1/events', body, { headers: { 'idempotency-key': key } });
    expect(reply.status).toBe(409);
    expect(reply.json.error.code).toBe('idempotency_key_in_flight');
    expect(reply.headers.get('retry-after')).toBe('1');
  });

  it('refuses a malformed key with 400 and produces nothing', async () => {
    const eventId = `bad-key-${RUN}`;
    for (const bad of ['x'.repeat(256), 'tab\tinside']) {
      const reply = await post('/v1/events', event({ event_id: eventId }), { headers: { 'idempotency-key': bad } });
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_idempotency_key');
    }
    await settle();
    expect(producedWith(eventId)).toEqual([]);
  });

  it('answers a repeated batch as the first time and produces its events once', async () => {
    const key = `batch-${RUN}`;
    const body = { events: [event(), event({ type: 'BAD TYPE' }), event({ payload: { user_id: 'u3' } })] };
    const first = await post('/v1/events/batch', body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(207);
    const again = await post('/v1/events/batch', body, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(207);
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const ids = first.json.accepted as string[];
    expect(ids).toHaveLength(2);
    await waitFor('the batch on notifications.events', () => (ids.every((id) => producedWith(id).length > 0) ? true : undefined));
    await settle();
    expect(ids.map((id) => producedWith(id).length)).toEqual([1, 1]);
  });
});

describe('POST /v1/events/batch', () => {
  it('answers per event: valid ones reach notifications.accepted, invalid ones come back with their field errors', async () => {
    const good1 = event({ event_id: `batch-good-1-${RUN}` });
    const good2 = event({ event_id: `batch-good-2-${RUN}`, severity: 'high' });
    const reply = await post('/v1/events/batch', {
      events: [good1, { type: 'ORDER_FILLED', payload: {} }, good2, event({ severity: 'apocalyptic', type: 'ORDER FILLED' })],
    });
    expect(reply.status).toBe(207);
    expect(reply.json.accepted).toEqual([good1.event_id, good2.event_id]);
    expect(reply.json.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3]);
    expect(reply.json.rejected[0].fields.map((f: { field: string }) => f.field)).toEqual(['producer']);
    expect(reply.json.rejected[1].fields.map((f: { field: string }) => f.field).sort()).toEqual(['severity', 'type']);
    const arrived = await waitFor('the valid events on notifications.accepted', () => {
      const mine = accepted.records.map((r) => r.value).filter((e) => [good1.event_id, good2.event_id].includes(e.event_id));
      return mine.length === 2 ? mine : undefined;
    });
    expect(arrived.map((e) => [e.event_id, e.severity, e.tenant]).sort()).toEqual([
      [good1.event_id, 'info', TENANT_A],
      [good2.event_id, 'critical', TENANT_A],
    ]);
  });

  it('answers 202 when every event is valid', async () => {
    const reply = await post('/v1/events/batch', [event(), event()]);
    expect(reply.status).toBe(202);
    expect(reply.json.accepted).toHaveLength(2);
    expect(reply.json.rejected).toEqual([]);
  });

  it('refuses more than 500 events, an empty batch and a body that is not a batch with 400', async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => event({ event_id: `too-many-${i}-${RUN}` }));
    for (const body of [{ events: tooMany }, { events: [] }, { not: 'a batch' }]) {
      const reply = await post('/v1/events/batch', body);
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_batch');
    }
    await settle();
    expect(events.records.filter((r) => r.value.event_id.startsWith('too-many-'))).toEqual([]);
  });
});
