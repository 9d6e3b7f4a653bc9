/**
 * Operator and data-rights surface against the real stack: dead letters collected from Kafka, inspected
 * and replayed (a channel's dispatch re-run, anything else byte for byte); consumer lag; producer API keys verified by the real ingest gateway;
 * export and erasure with tombstones and audit rows; the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { notificationId, recipientKey, type DeadLetter, type Dispatch } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { freePort } from '../../../tests/support/ports';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';
import { insertInboxRow } from './support/inbox-rows';
import { readRawTopic } from './support/raw-topic';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `adm-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

type Json = Record<string, unknown>;

describe('admin and data rights', () => {
  let stack: ApiStack;
  let db: Client;
  let codec: AvroCodec;
  let producer: ProducerPort;

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(stack.url() + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
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
      'notifications.dispatch.inapp',
      'notifications.retry.sms',
      'notifications.accepted',
    ]);
    producer = createKafka({ clientId: 'admin-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.query('delete from inbox where tenant = $1', [TENANT]);
    await db?.query('delete from user_preferences where tenant = $1', [TENANT]);
    await db?.query('delete from api_keys where tenant = $1', [TENANT]);
    await db?.query('delete from audit_log where subject_tenant = $1', [TENANT]);
    await db?.query('delete from dlq_entries where kafka_namespace = $1', [stack?.namespace]);
    await db?.end();
    await stack?.stop();
  });

  describe('dead letters', () => {
    const eventId = `evt-${randomUUID()}`;
    const recipient = recipientKey(TENANT, 'u1');
    const original: Dispatch = {
      notification_id: notificationId(eventId, recipient, 'inapp'),
      idempotency_key: `idem-${eventId}`,
      event_id: eventId,
      tenant: TENANT,
      recipient,
      user_id: 'u1',
      channel: 'inapp',
      type: 'MARGIN_CALL',
      severity: 'critical',
      severity_label: 'critical',
      template: 't',
      priority: 'high',
      locale: 'en',
      address: null,
      payload: '{}',
      digest: null,
      attempt: 2,
      not_before: 0,
      replay: 0,
      occurred_at: 1_700_000_000_000,
      created_at: 1_700_000_000_000,
      time_zone: null,
      dedupe_key: null,
      template_version: null,
    };
    const deadLetter = (stage: string, bytes: Buffer | null): DeadLetter => ({
      notification_id: original.notification_id,
      stage,
      reason: 'provider said no',
      code: 'provider_rejected',
      attempts: 3,
      original_topic: 'notifications.dispatch.inapp',
      original_partition: 2,
      original_offset: '41',
      original_key: recipient,
      original: bytes,
      failed_at: Date.now(),
    });

    it("collects, lists by stage, inspects with the decoded original, and re-runs a channel's dispatch once, numbered", async () => {
      const bytes = codec.encode('notifications.dispatch.inapp', original);
      await producer.send([
        {
          topic: 'notifications.dlq',
          key: original.notification_id,
          value: codec.encode('notifications.dlq', deadLetter('channel-inapp', bytes)),
        },
        { topic: 'notifications.dlq', key: 'x', value: codec.encode('notifications.dlq', deadLetter('channel-webhook', null)) },
      ]);
      const op = stack.operatorToken(TENANT);
      const listed = await waitFor('both dead letters collected', async () => {
        const res = await call('GET', '/v1/admin/dlq', op);
        return (res.body.items as Json[]).length === 2 ? res.body : undefined;
      });
      expect(listed.next_cursor).toBeNull();
      // The record's key names the tenant even when the record itself is gone; another tenant's operator sees neither.
      expect((listed.items as Json[]).map((e) => e.tenant)).toEqual([TENANT, TENANT]);
      expect((await call('GET', '/v1/admin/dlq', stack.operatorToken('another-tenant'))).body.items).toEqual([]);
      const inapp = await call('GET', '/v1/admin/dlq?stage=channel-inapp', op);
      expect(inapp.body.items).toEqual([
        expect.objectContaining({ stage: 'channel-inapp', code: 'provider_rejected', original_size: bytes.length, replay_count: 0 }),
      ]);
      const id = String((inapp.body.items as Json[])[0]?.id);

      const detail = await call('GET', `/v1/admin/dlq/${id}`, op);
      expect(detail.body).toMatchObject({
        original_base64: bytes.toString('base64'),
        decode_error: null,
        decoded: { notification_id: original.notification_id, type: 'MARGIN_CALL', attempt: 2 },
      });

      const target = await readRawTopic(brokers, stack.topic('notifications.dispatch.inapp'));
      try {
        const replayed = await call('POST', `/v1/admin/dlq/${id}/replay`, op);
        expect(replayed.status).toBe(200);
        expect(replayed.body).toMatchObject({
          replay_count: 1,
          replay: 1,
          replayed_by: `${TENANT}/operator-1`,
          replayed_at: expect.any(String),
        });
        const record = await waitFor('the replayed record', () => target.records.find((r) => r.headers['x-notify-replay-of'] === id));
        // The same message with a fresh attempt budget, numbered as the first replay, keyed by recipient.
        expect(await codec.decode('notifications.dispatch.inapp', record.value)).toEqual({ ...original, attempt: 0, replay: 1 });
        expect(record.key).toBe(recipient);

        expect((await call('POST', `/v1/admin/dlq/${id}/replay`, op)).body).toMatchObject({ error: { code: 'already_replayed' } });
        expect((await call('POST', `/v1/admin/dlq/${id}/replay?force=true`, op)).body).toMatchObject({ replay_count: 2, replay: 2 });
        const forced = await waitFor('the forced replay', () => target.records.filter((r) => r.headers['x-notify-replay-of'] === id)[1]);
        expect(await codec.decode('notifications.dispatch.inapp', forced.value)).toMatchObject({ attempt: 0, replay: 2 });
      } finally {
        await target.close();
      }
      const empty = String((listed.items as Json[]).find((e) => e.stage === 'channel-webhook')?.id);
      expect((await call('POST', `/v1/admin/dlq/${empty}/replay`, op)).body).toMatchObject({ error: { code: 'nothing_to_replay' } });
      expect((await call('GET', '/v1/admin/dlq/999999999999', op)).status).toBe(404);
      expect((await call('GET', '/v1/admin/dlq', stack.userToken(TENANT, 'u1'))).status).toBe(403);
    });

    it('replays the dead letter of a stage that is not a channel byte for byte to its original topic', async () => {
      const eventId = `evt-${randomUUID()}`;
      const accepted = codec.encode('notifications.accepted', {
        event_id: eventId,
        tenant: TENANT,
        type: 'ORDER_FILLED',
        producer: 'admin-test',
        severity: 'info',
        severity_label: 'info',
        dedupe_key: null,
        payload: '{}',
        recipients: [],
        audience: null,
        labels: {},
        occurred_at: 1_700_000_000_000,
        accepted_at: 1_700_000_000_000,
      });
      await producer.send([
        {
          topic: 'notifications.dlq',
          key: eventId,
          value: codec.encode('notifications.dlq', {
            notification_id: null,
            stage: 'router',
            reason: 'no rule set could be loaded',
            code: 'rules_unavailable',
            attempts: 1,
            original_topic: 'notifications.accepted',
            original_partition: 1,
            original_offset: '9',
            original_key: eventId,
            original: accepted,
            failed_at: Date.now(),
          } satisfies DeadLetter),
        },
      ]);
      const op = stack.operatorToken(TENANT);
      const entry = await waitFor(
        "the router's dead letter",
        async () => ((await call('GET', '/v1/admin/dlq?stage=router', op)).body.items as Json[])[0],
      );
      const target = await readRawTopic(brokers, stack.topic('notifications.accepted'));
      try {
        const replayed = await call('POST', `/v1/admin/dlq/${String(entry.id)}/replay`, op);
        expect(replayed.body).toMatchObject({ replay_count: 1, replay: 1 });
        const record = await waitFor('the replayed event', () =>
          target.records.find((r) => r.headers['x-notify-replay-of'] === String(entry.id)),
        );
        expect(record.value?.equals(accepted)).toBe(true);
        expect(record.key).toBe(eventId);
      } finally {
        await target.close();
      }
    });
  });

  it('reports the consumer lag of every service group', async () => {
    const res = await call('GET', '/v1/admin/lag', stack.operatorToken());
    expect(res.status).toBe(200);
    const services = res.body.services as Array<{ service: string; total_lag: number; partitions: Array<{ topic: string }> }>;
    expect(services.map((s) => s.service)).toEqual(
      expect.arrayContaining(['ingest', 'router', 'aggregator', 'channel-inapp', 'channel-webhook', 'api-dlq']),
    );
    const dlq = services.find((s) => s.service === 'api-dlq');
    expect(dlq?.partitions.length).toBeGreaterThan(0);
    expect(dlq?.partitions.every((p) => p.topic === 'notifications.dlq')).toBe(true);
    expect(dlq?.total_lag).toBe(0);
    expect(services.map((s) => s.service)).toEqual(
      expect.arrayContaining(['router-fanout', 'router-recipients', 'tracker', 'channel-sms', 'channel-sms.retry']),
    );
  });

  it('exports the lag of its own consumer groups on the ops endpoint, like every worker', async () => {
    // The monitor's first read can race the new topics' leader election; it retries on its refresh
    // interval, so wait for the gauge rather than scraping once.
    const metrics = await waitFor(
      'lag gauges on the ops endpoint',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${stack.replicas[0]?.opsPort}/metrics`)).text();
        return /kafka_consumer_lag\{topic="notifications\.inbox"/.test(text) && /kafka_consumer_lag\{topic="notifications\.dlq"/.test(text)
          ? text
          : undefined;
      },
      45_000,
      500,
    );
    // The inbox fan-out is not a runner worker: only the lag monitor reports its group.
    expect(metrics).toMatch(/kafka_consumer_lag\{topic="notifications\.inbox",partition="\d+"/);
    expect(metrics).toMatch(/kafka_consumer_lag\{topic="notifications\.dlq",partition="\d+"/);
  });

  describe('producer API keys', () => {
    let ingest: ServiceProcess;
    let ingestUrl: string;

    beforeAll(async () => {
      const port = await freePort();
      ingestUrl = `http://127.0.0.1:${port}`;
      ingest = await startService('ingest', {
        KAFKA_NAMESPACE: stack.namespace,
        INGEST_ROLES: 'http',
        HTTP_PORT: String(port),
        DATABASE_URL: databaseUrl,
        API_KEYS_REFRESH_MS: '300',
        INGEST_API_KEYS: `${TENANT}-dev:dev-key-${RUN}`,
        LOG_LEVEL: 'warn',
      });
    });

    afterAll(async () => {
      await ingest?.stop();
    });

    const publish = (key: string) =>
      fetch(`${ingestUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          event_id: randomUUID(),
          type: 'ORDER_FILLED',
          producer: 'trading-system',
          payload: { user_id: 'u1' },
          severity: 'medium',
        }),
      });

    it('creates a key shown once, lists it without secrets, and ingest accepts it until it is revoked', async () => {
      const op = stack.operatorToken(TENANT);
      const created = await call('POST', '/v1/admin/api-keys', op, { tenant: TENANT, name: 'trading' });
      expect(created.status).toBe(201);
      const key = String(created.body.key);
      expect(created.body).toMatchObject({ tenant: TENANT, name: 'trading', created_by: `${TENANT}/operator-1`, revoked_at: null });

      const stored = await db.query('select key_hash from api_keys where id = $1', [created.body.id]);
      expect(stored.rows[0].key_hash).not.toContain(key);
      const listed = await call('GET', `/v1/admin/api-keys?tenant=${TENANT}`, op);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, key_prefix: created.body.key_prefix })]);
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect(JSON.stringify(listed.body)).not.toContain(stored.rows[0].key_hash);

      await waitFor('ingest to accept the new key', async () => ((await publish(key)).status === 202 ? true : undefined), 10_000, 200);
      expect((await publish(`dev-key-${RUN}`)).status).toBe(202);
      expect((await publish(`${key}x`)).status).toBe(401);

      const revoked = await call('POST', `/v1/admin/api-keys/${String(created.body.id)}/revoke`, op);
      expect(revoked.body.revoked_at).toEqual(expect.any(String));
      await waitFor('ingest to refuse the revoked key', async () => ((await publish(key)).status === 401 ? true : undefined), 10_000, 200);
      expect((await call('POST', '/v1/admin/api-keys/key_nope/revoke', op)).status).toBe(404);
      expect((await call('POST', '/v1/admin/api-keys', op, { tenant: TENANT })).status).toBe(400);
      expect((await call('POST', '/v1/admin/api-keys', stack.userToken(TENANT, 'u1'), { tenant: TENANT, name: 'x' })).status).toBe(403);
    });
  });

  it("exports a user's data and erases it with tombstones and audit rows", async () => {
    const user = 'subject';
    const other = 'bystander';
    const row = await insertInboxRow(db, TENANT, user);
    const kept = await insertInboxRow(db, TENANT, other);
    await db.query(
      `insert into user_preferences (tenant, user_id, document, updated_at) values ($1, $2, '{"channels":{"sms":false}}', now())`,
      [TENANT, user],
    );
    // A sandbox message and a dead letter about the subject: both hold their messages and addresses.
    await db.query(
      `insert into channel_outbox (notification_id, channel, tenant, recipient, address, subject, body, payload) values ($1, 'sms', $2, $3, '+15550001111', 'Hi', 'Body', '{}')`,
      [`outbox-${randomUUID()}`, TENANT, recipientKey(TENANT, user)],
    );
    const retried: Dispatch = {
      notification_id: `ntf-${randomUUID()}`,
      idempotency_key: `idem-${randomUUID()}`,
      event_id: `evt-${randomUUID()}`,
      tenant: TENANT,
      recipient: recipientKey(TENANT, user),
      user_id: user,
      channel: 'sms',
      type: 'MARGIN_CALL',
      severity: 'critical',
      severity_label: 'critical',
      template: 't',
      priority: 'high',
      locale: 'en',
      address: '+15550001111',
      payload: '{}',
      digest: null,
      attempt: 3,
      not_before: 0,
      replay: 0,
      occurred_at: 1_700_000_000_000,
      created_at: 1_700_000_000_000,
      time_zone: null,
      dedupe_key: null,
      template_version: null,
    };
    // From a retry topic, keyed by notification id: the collector finds the person inside the Dispatch.
    await producer.send([
      {
        topic: 'notifications.dlq',
        key: retried.notification_id,
        value: codec.encode('notifications.dlq', {
          notification_id: retried.notification_id,
          stage: 'channel-sms',
          reason: 'still failing',
          code: 'retries_exhausted',
          attempts: 4,
          original_topic: 'notifications.retry.sms',
          original_partition: 0,
          original_offset: '3',
          original_key: retried.notification_id,
          original: codec.encode('notifications.retry.sms', retried),
          failed_at: Date.now(),
        } satisfies DeadLetter),
      },
    ]);
    await waitFor('the dead letter filed', async () =>
      (await db.query('select 1 from dlq_entries where notification_id = $1', [retried.notification_id])).rowCount === 1 ? true : undefined,
    );

    const exported = await call('GET', '/v1/me/export', stack.userToken(TENANT, user));
    expect(exported.status).toBe(200);
    const tables = exported.body.tables as Record<string, Json[]>;
    expect(tables.inbox?.map((r) => r.notification_id)).toEqual([row.notification_id]);
    expect(tables.user_preferences?.[0]).toMatchObject({ user_id: user, document: { channels: { sms: false } } });
    expect(tables.channel_outbox?.map((r) => r.address)).toEqual(['+15550001111']);
    expect(tables.dlq_entries?.map((r) => r.notification_id)).toEqual([retried.notification_id]);
    expect(tables).not.toHaveProperty('audit_log');

    const prefs = await readRawTopic(brokers, stack.topic('notifications.preferences'));
    const recipients = await readRawTopic(brokers, stack.topic('notifications.recipients'));
    try {
      const erased = await call('POST', `/v1/admin/users/${TENANT}/${user}/erase`, stack.operatorToken(TENANT));
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({
        deleted: { inbox: 1, user_preferences: 1, channel_outbox: 1, dlq_entries: 1 },
        tombstoned_topics: ['notifications.preferences', 'notifications.recipients'],
      });
      for (const topic of [prefs, recipients]) {
        const tombstone = await waitFor('a tombstone', () => topic.records.find((r) => r.key === `${TENANT}/${user}`));
        expect(tombstone.value).toBeNull();
      }
    } finally {
      await prefs.close();
      await recipients.close();
    }
    expect((await db.query('select 1 from inbox where tenant = $1 and user_id = $2', [TENANT, user])).rowCount).toBe(0);
    expect((await db.query('select 1 from user_preferences where tenant = $1 and user_id = $2', [TENANT, user])).rowCount).toBe(0);
    expect((await db.query('select 1 from inbox where notification_id = $1', [kept.notification_id])).rowCount).toBe(1);

    const audit = await db.query(
      'select actor_tenant, actor_user_id, actor_role, action, subject_tenant, subject_user_id, detail from audit_log where subject_tenant = $1 and subject_user_id = $2 order by id',
      [TENANT, user],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        actor_tenant: TENANT,
        actor_user_id: user,
        actor_role: 'user',
        action: 'export',
        detail: expect.objectContaining({ counts: expect.objectContaining({ inbox: 1 }) }),
      }),
      expect.objectContaining({ actor_tenant: TENANT, actor_user_id: 'operator-1', actor_role: 'operator', action: 'erase' }),
    ]);
    const viaApi = await call('GET', `/v1/admin/users/${TENANT}/${user}/audit`, stack.operatorToken(TENANT));
    expect((viaApi.body.items as Json[]).map((e) => e.action)).toEqual(['export', 'erase']);
    expect((await call('POST', `/v1/admin/users/${TENANT}/${user}/erase`, stack.userToken(TENANT, user))).status).toBe(403);
  });

  it('reports outcomes and latency percentiles per time bucket, per channel and pooled over channels', async () => {
    const tenant = `an-${randomUUID().slice(0, 8)}`;
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    // Two 5-minute buckets; in the first, in-app deliveries took 100..500 ms and email 1000..5000 ms.
    const rows: Array<[string, string, string | null, number, number]> = [];
    for (let i = 1; i <= 5; i++)
      rows.push(['inapp', 'delivered', null, t0 + i * 1000, i * 100], ['email', 'delivered', null, t0 + i * 1000, i * 1000]);
    rows.push(['email', 'failed', 'http_410', t0 + 6000, 50], ['inapp', 'delivered', null, t0 + 301_000, 700]);
    for (const [channel, status, reason, terminalAt, latency] of rows) {
      await db.query(
        `insert into delivery_summary (notification_id, event_id, tenant, recipient, channel, type, latest_status, latest_at, terminal_status, reason, occurred_at, created_at, terminal_at)
         values ($1, $2, $3, $4, $5, 'ORDER_FILLED', $6, $7, $6, $8, $9, $9, $7)`,
        [
          `an-${randomUUID()}`,
          `evt-${randomUUID()}`,
          tenant,
          `${tenant}/u1`,
          channel,
          status,
          new Date(terminalAt),
          reason,
          new Date(terminalAt - latency),
        ],
      );
    }
    try {
      const op = stack.operatorToken(tenant);
      const range = `tenant=${tenant}&since=${new Date(t0).toISOString()}&until=${new Date(t0 + 600_000).toISOString()}`;
      const outcomes = await call('GET', `/v1/admin/analytics/outcomes?${range}`, op);
      expect(outcomes.body.rows).toEqual([
        { channel: 'email', status: 'delivered', reason: null, count: 5 },
        { channel: 'email', status: 'failed', reason: 'http_410', count: 1 },
        { channel: 'inapp', status: 'delivered', reason: null, count: 6 },
      ]);
      const perChannel = await call('GET', `/v1/admin/analytics/latency?${range}&bucket_seconds=300`, op);
      expect((perChannel.body.series as Json[]).map((r) => [r.bucket, r.channel, r.count, r.p50_ms])).toEqual([
        ['2026-03-01T10:00:00.000Z', 'email', 5, 3000],
        ['2026-03-01T10:00:00.000Z', 'inapp', 5, 300],
        ['2026-03-01T10:05:00.000Z', 'inapp', 1, 700],
      ]);
      // Pooled: the median of all ten first-bucket deliveries, not an average of the two channels' medians.
      const pooled = await call('GET', `/v1/admin/analytics/latency?${range}&bucket_seconds=300&channel=all`, op);
      expect((pooled.body.series as Json[]).map((r) => [r.bucket, r.channel, r.count, r.p50_ms, r.p99_ms])).toEqual([
        ['2026-03-01T10:00:00.000Z', 'all', 10, 750, 4910],
        ['2026-03-01T10:05:00.000Z', 'all', 1, 700, 700],
      ]);
      expect((await call('GET', `/v1/admin/analytics/latency?${range}&bucket_seconds=1`, op)).status).toBe(400);
    } finally {
      await db.query('delete from delivery_summary where tenant = $1', [tenant]);
    }
  });

  it('serves an OpenAPI 3 document covering every route', async () => {
    const res = await fetch(`${stack.url()}/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const expected: Array<[string, string]> = [
      ['get', '/v1/notifications'],
      ['get', '/v1/notifications/unread-count'],
      ['post', '/v1/notifications/ack'],
      ['post', '/v1/notifications/{id}/read'],
      ['post', '/v1/notifications/{id}/unread'],
      ['post', '/v1/notifications/{id}/archive'],
      ['get', '/v1/ws'],
      ['get', '/v1/admin/dlq'],
      ['get', '/v1/admin/dlq/{id}'],
      ['post', '/v1/admin/dlq/{id}/replay'],
      ['post', '/v1/admin/dlq/replay'],
      ['get', '/v1/admin/lag'],
      ['post', '/v1/admin/api-keys'],
      ['get', '/v1/admin/api-keys'],
      ['post', '/v1/admin/api-keys/{id}/revoke'],
      ['get', '/v1/me/export'],
      ['post', '/v1/admin/users/{tenant}/{user}/erase'],
      ['get', '/health'],
      ['get', '/health/ready'],
      ['get', '/openapi.json'],
      // Routes of the preferences module, registered in their own plugin scope.
      ['get', '/v1/prefs'],
      ['put', '/v1/prefs'],
      ['post', '/v1/prefs'],
      ['get', '/v1/contacts'],
      ['post', '/v1/contacts/phone/verification/start'],
      // Audience membership, also in a scope of its own; the import path has a literal colon.
      ['get', '/v1/audiences'],
      ['get', '/v1/audiences/{audience}/members'],
      ['put', '/v1/audiences/{audience}/members/{user_id}'],
      ['delete', '/v1/audiences/{audience}/members/{user_id}'],
      ['post', '/v1/audiences/{audience}/members:import'],
    ];
    for (const [method, path] of expected) expect(doc.paths[path]?.[method]).toBeDefined();
    // Metrics are served on the ops port only, never on the public one.
    expect(doc.paths['/metrics']).toBeUndefined();
    expect((await fetch(`${stack.url()}/metrics`)).status).toBe(404);
    const metrics = await (await fetch(`http://127.0.0.1:${stack.replicas[0]?.opsPort}/metrics`)).text();
    expect(metrics).toContain('ws_sessions');
    expect(metrics).toContain('kafka_consumer_lag');
  });
});
