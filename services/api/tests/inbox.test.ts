/**
 * The inbox REST API against real Postgres and Kafka: stable cursor pages, unread filter and count,
 * read/unread/archive, tenant isolation, acknowledgements reported to Kafka, and JSON errors.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Ack, DeliveryStatus } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';
import { insertInboxRow } from './support/inbox-rows';

jest.setTimeout(120_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `inbox-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);

describe('inbox API', () => {
  let stack: ApiStack;
  let db: Client;
  let acks: TopicReader<Ack>;
  let statuses: TopicReader<DeliveryStatus>;

  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(stack.url() + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const seqs = (body: Record<string, unknown>) => (body.items as Array<{ seq: number }>).map((i) => i.seq);

  beforeAll(async () => {
    stack = await startApiStack();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    acks = await readTopic<Ack>(brokers, registryUrl, stack.topic('notifications.acks'));
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, stack.topic('notifications.delivery-status'));
  });

  afterAll(async () => {
    await acks?.close();
    await statuses?.close();
    await db?.query('delete from inbox where tenant like $1', [`%-${RUN}`]);
    await db?.end();
    await stack?.stop();
  });

  it('pages newest first by seq cursor, and rows inserted meanwhile do not shift later pages', async () => {
    const user = 'pager';
    const token = stack.userToken(TENANT, user);
    const rows = [];
    for (let i = 0; i < 5; i++) rows.push(await insertInboxRow(db, TENANT, user, `n${i}`));
    const all = rows.map((r) => Number(r.seq)).reverse();

    const first = await call('GET', '/v1/notifications?limit=2', token);
    expect(first.status).toBe(200);
    expect(seqs(first.body)).toEqual(all.slice(0, 2));
    expect(first.body.next_cursor).toBe(String(all[1]));

    const newer = await insertInboxRow(db, TENANT, user, 'arrived while paging');
    const second = await call('GET', `/v1/notifications?limit=2&cursor=${String(first.body.next_cursor)}`, token);
    expect(seqs(second.body)).toEqual(all.slice(2, 4));
    const third = await call('GET', `/v1/notifications?limit=2&cursor=${String(second.body.next_cursor)}`, token);
    expect(seqs(third.body)).toEqual(all.slice(4));
    expect(third.body.next_cursor).toBeNull();

    const fresh = await call('GET', '/v1/notifications?limit=1', token);
    expect(seqs(fresh.body)).toEqual([Number(newer.seq)]);
    const item = (fresh.body.items as Array<Record<string, unknown>>)[0];
    expect(item).toMatchObject({
      id: newer.notification_id,
      title: 'arrived while paging',
      data: { k: 1 },
      read_at: null,
      acknowledged_at: null,
    });
  });

  it('filters unread, counts unread, and marks read, unread and archived', async () => {
    const user = 'reader';
    const token = stack.userToken(TENANT, user);
    const a = await insertInboxRow(db, TENANT, user);
    const b = await insertInboxRow(db, TENANT, user);
    const c = await insertInboxRow(db, TENANT, user);
    expect((await call('GET', '/v1/notifications/unread-count', token)).body).toEqual({ unread: 3 });

    const read = await call('POST', `/v1/notifications/${a.notification_id}/read`, token);
    expect(read.status).toBe(200);
    expect(read.body.read_at).toEqual(expect.any(String));
    expect(seqs((await call('GET', '/v1/notifications?unread=true', token)).body)).toEqual([Number(c.seq), Number(b.seq)]);
    expect((await call('GET', '/v1/notifications/unread-count', token)).body).toEqual({ unread: 2 });

    expect((await call('POST', `/v1/notifications/${a.notification_id}/unread`, token)).body.read_at).toBeNull();
    expect((await call('GET', '/v1/notifications/unread-count', token)).body).toEqual({ unread: 3 });

    expect((await call('POST', `/v1/notifications/${b.notification_id}/archive`, token)).body.archived_at).toEqual(expect.any(String));
    expect(seqs((await call('GET', '/v1/notifications', token)).body)).toEqual([Number(c.seq), Number(a.seq)]);
    expect(seqs((await call('GET', '/v1/notifications?archived=true', token)).body)).toEqual([Number(b.seq)]);
    expect((await call('GET', '/v1/notifications/unread-count', token)).body).toEqual({ unread: 2 });
  });

  it('shows a user only their own tenant and inbox', async () => {
    const mine = await insertInboxRow(db, TENANT, 'owner');
    const otherUser = stack.userToken(TENANT, 'someone-else');
    const otherTenant = stack.userToken(`other-${RUN}`, 'owner');
    for (const token of [otherUser, otherTenant]) {
      expect(seqs((await call('GET', '/v1/notifications', token)).body)).not.toContain(Number(mine.seq));
      for (const action of ['read', 'unread', 'archive', 'ack']) {
        const res = await call('POST', `/v1/notifications/${mine.notification_id}/${action}`, token);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
      expect((await call('POST', '/v1/notifications/ack', token, { notification_id: mine.notification_id })).status).toBe(404);
    }
    const untouched = await db.query('select read_at, acknowledged_at, archived_at from inbox where notification_id = $1', [
      mine.notification_id,
    ]);
    expect(untouched.rows[0]).toEqual({ read_at: null, acknowledged_at: null, archived_at: null });
  });

  it('acknowledging stores it, produces an Ack keyed by recipient and an acknowledged status, once', async () => {
    const user = 'acker';
    const token = stack.userToken(TENANT, user);
    const row = await insertInboxRow(db, TENANT, user);
    const res = await call('POST', '/v1/notifications/ack', token, { notification_id: row.notification_id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: row.notification_id, acknowledged_at: expect.any(String), read_at: expect.any(String) });
    expect((await call('POST', '/v1/notifications/ack', token, { notification_id: row.notification_id })).status).toBe(200);

    const ack = await waitFor('the Ack record', () => acks.records.find((r) => r.value.notification_id === row.notification_id));
    expect(ack.key).toBe(`${TENANT}/${user}`);
    expect(ack.value).toMatchObject({ tenant: TENANT, user_id: user, action: 'acknowledged' });
    const status = await waitFor('the acknowledged status', () =>
      statuses.records.find((r) => r.value.notification_id === row.notification_id),
    );
    expect(status.key).toBe(row.notification_id);
    expect(status.value).toMatchObject({
      status: 'acknowledged',
      channel: 'inapp',
      recipient: `${TENANT}/${user}`,
      stage: 'api',
      terminal: false,
    });

    // The repeated ack changed nothing and reported nothing more.
    await new Promise((r) => setTimeout(r, 1000));
    expect(acks.records.filter((r) => r.value.notification_id === row.notification_id)).toHaveLength(1);
    expect(statuses.records.filter((r) => r.value.notification_id === row.notification_id)).toHaveLength(1);
  });

  it('reading produces a read status and a read Ack', async () => {
    const user = 'status-reader';
    const row = await insertInboxRow(db, TENANT, user);
    expect((await call('POST', `/v1/notifications/${row.notification_id}/read`, stack.userToken(TENANT, user))).status).toBe(200);
    const status = await waitFor('the read status', () => statuses.records.find((r) => r.value.notification_id === row.notification_id));
    expect(status.value.status).toBe('read');
    const ack = await waitFor('the read Ack', () => acks.records.find((r) => r.value.notification_id === row.notification_id));
    expect(ack.value.action).toBe('read');
  });

  it('refuses bad input and bad tokens with JSON errors', async () => {
    const token = stack.userToken(TENANT, 'validator');
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=abc', 'cursor=-1']) {
      const res = await call('GET', `/v1/notifications?${query}`, token);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: { code: 'invalid_request', message: expect.any(String), fields: [expect.objectContaining({ field: query.split('=')[0] })] },
      });
    }
    const missing = await call('POST', '/v1/notifications/ack', token, {});
    expect(missing.status).toBe(400);
    expect((missing.body.error as { fields: unknown[] }).fields).toEqual([{ field: 'body.notification_id', message: expect.any(String) }]);

    const raw = await fetch(`${stack.url()}/v1/notifications/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"oops',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('invalid_json');

    expect((await call('GET', '/v1/notifications', null)).status).toBe(401);
    const forged = await call('GET', '/v1/notifications', `${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    // A token in the URL is for the WebSocket upgrade only; REST routes take the Authorization header.
    expect((await fetch(`${stack.url()}/v1/notifications?token=${encodeURIComponent(token)}`)).status).toBe(401);
    expect((await call('GET', '/v1/admin/dlq', token)).status).toBe(403);
    expect((await call('GET', '/v1/nowhere', token)).body).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
  });
});
