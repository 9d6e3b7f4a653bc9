/**
 * Tenant isolation over every route the API documents: the test reads GET /openapi.json and calls each
 * route with tenant A's operator and user tokens, aimed at tenant B's data wherever the route can name
 * it (a tenant, a user, an entity id of B's in the path; `tenant` in the query or body). A route that
 * names B must answer 403 or 404; a route that cannot name another tenant acts on the caller's own
 * and must never answer with anything of B's. Afterwards all of B's data is still there. A route
 * whose path parameter the test does not know fails the test, so a new route cannot slip past it.
 *
 * The platform role does cross tenants, and every such action leaves an audit row.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { notificationId, recipientKey, type DeadLetter, type Dispatch } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { waitFor } from '../../../tests/support/wait';
import { insertInboxRow } from './support/inbox-rows';
import { startApiStack, type ApiStack } from './support/api-stack';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;
interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' }>;
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
}

const RUN = randomUUID().slice(0, 8);
const A = `iso-a-${RUN}`;
const B = `iso-b-${RUN}`;
const B_USER = `b-user-${RUN}`;
const B_AUDIENCE = `desk:b-${RUN}`;
/** A user id of no tenant in particular, for routes that act on the caller's own tenant. */
const SOMEONE = `someone-${RUN}`;
/** Routes that answer without a bearer token and hold no tenant data: the document itself and probes. */
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const PUBLIC_ROUTES = new Set(['get /health', 'get /health/ready', 'get /openapi.json']);

describe('tenant isolation across every documented route', () => {
  const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
  let stack: ApiStack;
  let db: Client;
  let codec: AvroCodec;
  let producer: ProducerPort;
  /** B's entities, by the path parameter that names them. */
  const bIds: Record<string, string> = {};

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${stack.url()}${path}`, {
      method: method.toUpperCase(),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    stack = await startApiStack({ env: { UNSUBSCRIBE_SECRET: randomUUID() } });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    codec = await AvroCodec.connect(registryUrl, ['notifications.dlq', 'notifications.dispatch.inapp']);
    producer = createKafka({ clientId: 'tenant-isolation-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();

    // Tenant B's data, made the way B would make it.
    const bOperator = stack.operatorToken(B);
    const bUser = stack.userToken(B, B_USER);
    expect((await call('put', '/v1/prefs', bUser, { channels: { sms: false } })).status).toBeLessThan(300);
    expect((await call('put', '/v1/contacts/email', bUser, { email: `${B_USER}@example.com` })).status).toBeLessThan(300);
    const device = await call('post', '/v1/devices', bUser, { platform: 'ios', token: 'ab'.repeat(32), app_id: 'com.example.b' });
    expect(device.status).toBeLessThan(300);
    bIds.device = String((JSON.parse(device.text) as Json).id);
    expect((await call('put', `/v1/audiences/${B_AUDIENCE}/members/${B_USER}`, bOperator)).status).toBeLessThan(300);
    const key = await call('post', '/v1/admin/api-keys', bOperator, { tenant: B, name: 'b-producer' });
    expect(key.status).toBe(201);
    bIds.apiKey = String((JSON.parse(key.text) as Json).id);
    bIds.notification = (await insertInboxRow(db, B, B_USER, `for ${B}`)).notification_id;

    const eventId = `evt-${randomUUID()}`;
    const recipient = recipientKey(B, B_USER);
    const dispatch: Dispatch = {
      notification_id: notificationId(eventId, recipient, 'inapp'),
      idempotency_key: `idem-${eventId}`,
      event_id: eventId,
      tenant: B,
      recipient,
      user_id: B_USER,
      channel: 'inapp',
      type: 'MARGIN_CALL',
      severity: 'critical',
      severity_label: 'critical',
      template: '',
      priority: 'high',
      locale: 'en',
      address: null,
      payload: '{}',
      digest: null,
      attempt: 3,
      not_before: 0,
      replay: 0,
      occurred_at: Date.now(),
      created_at: Date.now(),
      time_zone: null,
      dedupe_key: null,
      template_version: null,
    } as Dispatch;
    const letter: DeadLetter = {
      notification_id: dispatch.notification_id,
      stage: 'channel-inapp',
      reason: 'provider said no',
      code: 'provider_rejected',
      attempts: 4,
      original_topic: 'notifications.dispatch.inapp',
      original_partition: 0,
      original_offset: '1',
      original_key: recipient,
      original: codec.encode('notifications.dispatch.inapp', dispatch),
      failed_at: Date.now(),
    };
    await producer.send([{ topic: 'notifications.dlq', key: dispatch.notification_id, value: codec.encode('notifications.dlq', letter) }]);
    bIds.deadLetter = await waitFor("B's dead letter filed", async () => {
      const { rows } = await db.query<{ id: string }>('select id::text from dlq_entries where notification_id = $1', [
        dispatch.notification_id,
      ]);
      return rows[0]?.id;
    });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    await stack?.stop();
  });

  /** A value of B's (or a harmless one) for each path parameter; an unknown name fails the test. */
  function pathValue(name: string, path: string): { value: string; namesB: boolean } {
    if (name === 'tenant') return { value: B, namesB: true };
    if (name === 'user' || name === 'user_id')
      return path.includes('{tenant}') ? { value: B_USER, namesB: true } : { value: SOMEONE, namesB: false };
    if (name === 'audience') return { value: B_AUDIENCE, namesB: false };
    if (name === 'channel') return { value: 'slack', namesB: false };
    if (name === 'id') {
      if (path.startsWith('/v1/admin/dlq/')) return { value: bIds.deadLetter as string, namesB: true };
      if (path.startsWith('/v1/admin/api-keys/')) return { value: bIds.apiKey as string, namesB: true };
      if (path.startsWith('/v1/notifications/')) return { value: bIds.notification as string, namesB: true };
      if (path.startsWith('/v1/devices/')) return { value: bIds.device as string, namesB: true };
    }
    if (name === 'template_id') return { value: 'MARGIN_CALL', namesB: false };
    if (name === 'locale') return { value: 'en', namesB: false };
    if (name === 'version') return { value: '1', namesB: false };
    throw new Error(`${path}: the isolation test does not know path parameter ${name}; teach it which of tenant B's entities it names`);
  }

  /** The smallest body the schema describes, with B's tenant and user wherever it takes them. */
  function bodyFor(schema: JsonSchema | undefined): { body: unknown; namesB: boolean } {
    if (!schema) return { body: undefined, namesB: false };
    let namesB = false;
    const sample = (s: JsonSchema, key: string): unknown => {
      if (key === 'tenant') {
        namesB = true;
        return B;
      }
      if (key === 'user_id' || key === 'user') return SOMEONE;
      if (s.enum) return s.enum[0];
      const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
      if (type === 'object') {
        const out: Json = {};
        for (const [k, v] of Object.entries(s.properties ?? {}))
          if (k === 'tenant' || (s.required ?? []).includes(k)) out[k] = sample(v, k);
        return out;
      }
      if (type === 'array') return [];
      if (type === 'integer' || type === 'number') return s.minimum ?? 1;
      if (type === 'boolean') return false;
      if (s.format === 'date-time') return new Date().toISOString();
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    };
    const body = sample(schema, '');
    return { body, namesB };
  }

  it("answers tenant A with 403 or 404 wherever a route names tenant B, and with nothing of B's anywhere", async () => {
    const doc = JSON.parse((await call('get', '/openapi.json', null)).text) as { paths: Record<string, Record<string, Operation>> };
    const tokens = { operator: stack.operatorToken(A), user: stack.userToken(A, 'a-user') };
    const findings: string[] = [];
    let namingB = 0;
    let walked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (PUBLIC_ROUTES.has(`${method} ${path}`)) continue;
        walked += 1;
        let names = false;
        let url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
          const { value, namesB } = pathValue(name, path);
          names ||= namesB;
          return encodeURIComponent(value);
        });
        if ((op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'tenant')) {
          url += `${url.includes('?') ? '&' : '?'}tenant=${encodeURIComponent(B)}`;
          names = true;
        }
        const media = op.requestBody ? Object.values(op.requestBody.content)[0] : undefined;
        const json = op.requestBody && 'application/json' in op.requestBody.content;
        const { body, namesB } = json ? bodyFor(media?.schema) : { body: undefined, namesB: false };
        names ||= namesB;
        if (names) namingB += 1;
        for (const [who, token] of Object.entries(tokens)) {
          const res = await call(method, url, token, body);
          const where = `${method.toUpperCase()} ${url} as A's ${who}: ${res.status} ${res.text.slice(0, 160)}`;
          if (res.status >= 500) findings.push(`server error: ${where}`);
          else if (names && res.status !== 403 && res.status !== 404) findings.push(`names tenant B but was not refused: ${where}`);
          else if (res.text.includes(B) || res.text.includes(B_USER)) findings.push(`answered with tenant B's data: ${where}`);
        }
      }
    }
    expect(findings).toEqual([]);
    // The walk must really have reached the routes that can name another tenant.
    expect(walked).toBeGreaterThan(40);
    expect(namingB).toBeGreaterThanOrEqual(12);

    // Everything of B's is as B left it.
    const bUser = stack.userToken(B, B_USER);
    const bOperator = stack.operatorToken(B);
    expect(JSON.parse((await call('get', '/v1/notifications', bUser)).text)).toMatchObject({
      items: [expect.objectContaining({ id: bIds.notification, read_at: null })],
    });
    expect(JSON.parse((await call('get', '/v1/contacts', bUser)).text)).toMatchObject({ email: `${B_USER}@example.com` });
    expect(JSON.parse((await call('get', '/v1/devices', bUser)).text)).toMatchObject({
      items: [expect.objectContaining({ id: bIds.device })],
    });
    expect((await call('get', `/v1/audiences/${B_AUDIENCE}/members`, bOperator)).text).toContain(B_USER);
    expect(JSON.parse((await call('get', '/v1/admin/api-keys', bOperator)).text)).toMatchObject({
      items: [expect.objectContaining({ id: bIds.apiKey, revoked_at: null })],
    });
    expect(JSON.parse((await call('get', `/v1/admin/dlq/${bIds.deadLetter}`, bOperator)).text)).toMatchObject({
      tenant: B,
      replay_count: 0,
    });
  });

  it('lets the platform role act across tenants, and audits each such action', async () => {
    const platform = stack.platformToken();
    const listed = JSON.parse((await call('get', `/v1/admin/dlq?tenant=${B}`, platform)).text) as { items: Json[] };
    expect(listed.items.map((e) => e.id)).toEqual([bIds.deadLetter]);
    expect((await call('get', `/v1/admin/dlq/${bIds.deadLetter}`, platform)).status).toBe(200);
    expect((await call('get', `/v1/admin/users/${B}/${B_USER}/audit`, platform)).status).toBe(200);
    const { rows } = await db.query<{ actor_role: string; actor_user_id: string; action: string; subject_tenant: string; detail: Json }>(
      `select actor_role, actor_user_id, action, subject_tenant, detail from audit_log where actor_role = 'platform' and subject_tenant = $1 order by id`,
      [B],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_user_id: 'platform-1',
        action: 'dlq.list',
        detail: expect.objectContaining({ method: 'GET', route: '/v1/admin/dlq' }),
      }),
      expect.objectContaining({ action: 'dlq.inspect', detail: expect.objectContaining({ dlq_entry: bIds.deadLetter }) }),
      expect.objectContaining({ action: 'users.audit', detail: expect.objectContaining({ user: B_USER }) }),
    ]);
    // Its own tenant is not a cross-tenant action.
    await call('get', '/v1/admin/dlq?tenant=ops', platform);
    expect((await db.query(`select 1 from audit_log where actor_role = 'platform' and subject_tenant = 'ops'`)).rowCount).toBe(0);
  });
});
