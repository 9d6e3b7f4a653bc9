/**
 * Real-time inbox across two API replicas: the real channel-inapp worker stores a dispatch and
 * broadcasts it on notifications.inbox; each replica reads it in its own group and pushes it to the
 * user's sockets on that replica. Also: refused tokens, sessions that end with their token unless
 * refreshed, and catch-up from a cursor without gaps or duplicates. Prints the measured push latency.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { notificationId, recipientKey, type Dispatch } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { startService, type ServiceProcess } from '../../../tests/support/services';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';
import { connectWs, type WsClient } from './support/ws-client';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `ws-${RUN}`;
const USER = 'trader';
const { registryUrl, databaseUrl, brokers } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function dispatch(title: string, user = USER): Dispatch {
  const eventId = `evt-${randomUUID()}`;
  const recipient = recipientKey(TENANT, user);
  const now = Date.now();
  return {
    notification_id: notificationId(eventId, recipient, 'inapp'),
    idempotency_key: `idem-${eventId}`,
    event_id: eventId,
    tenant: TENANT,
    recipient,
    user_id: user,
    channel: 'inapp',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    template: 'order.filled',
    priority: 'normal',
    locale: 'en',
    address: null,
    payload: JSON.stringify({ title }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: now,
    created_at: now,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

describe('WebSocket fan-out', () => {
  let stack: ApiStack;
  let inapp: ServiceProcess;
  let producer: ProducerPort;
  let codec: AvroCodec;
  let db: Client;
  const clients: WsClient[] = [];

  const wsUrl = (replica: number, token: string, cursor?: number) =>
    `${stack.url(replica).replace('http', 'ws')}/v1/ws?token=${encodeURIComponent(token)}${cursor !== undefined ? `&cursor=${cursor}` : ''}`;
  const open = async (replica: number, user = USER, cursor?: number) => {
    const client = await connectWs(wsUrl(replica, stack.userToken(TENANT, user), cursor));
    clients.push(client);
    return client;
  };
  const send = async (d: Dispatch) => {
    await producer.send([
      { topic: 'notifications.dispatch.inapp', key: d.recipient, value: codec.encode('notifications.dispatch.inapp', d) },
    ]);
    return Date.now();
  };

  beforeAll(async () => {
    stack = await startApiStack({ replicas: 2 });
    inapp = await startService('channel-inapp', { KAFKA_NAMESPACE: stack.namespace, LOG_LEVEL: 'warn' });
    codec = await AvroCodec.connect(registryUrl, ['notifications.dispatch.inapp']);
    producer = createKafka({ clientId: 'ws-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await producer?.disconnect();
    await inapp?.stop();
    await db?.query('delete from inbox where tenant = $1', [TENANT]);
    await db?.end();
    await stack?.stop();
  });

  it('refuses a missing, forged or expired token before the upgrade', async () => {
    const base = `${stack.url(0).replace('http', 'ws')}/v1/ws`;
    await expect(connectWs(base)).rejects.toThrow('HTTP 401');
    await expect(connectWs(`${base}?token=${stack.userToken(TENANT, USER).slice(0, -3)}abc`)).rejects.toThrow('HTTP 401');
    const { signUserToken } = await import('../src/auth');
    const expired = signUserToken(stack.secret, { tenant: TENANT, userId: USER, role: 'user' }, 60, {
      nowSeconds: Math.floor(Date.now() / 1000) - 3600,
    });
    await expect(connectWs(`${base}?token=${expired}`)).rejects.toThrow('HTTP 401');
    await expect(connectWs(`${base}?token=${stack.userToken(TENANT, USER)}&cursor=abc`)).rejects.toThrow('HTTP 400');
  });

  it("pushes each in-app notification to the user's sessions on both replicas, and to no one else", async () => {
    const onA = await open(0);
    const onB = await open(1);
    const otherUser = await open(1, 'someone-else');
    const latenciesFromStore: number[] = [];
    const latenciesFromDispatch: number[] = [];
    // Warm-up: the first record pays for connections and metadata on every hop.
    const warm = dispatch('warm-up');
    await send(warm);
    await waitFor('warm-up on both replicas', () => (onA.received.length >= 1 && onB.received.length >= 1 ? true : undefined), 30_000, 20);

    for (let i = 0; i < 10; i++) {
      const d = dispatch(`item ${i}`);
      const sentAt = await send(d);
      for (const client of [onA, onB]) {
        const got = await waitFor(`item ${i}`, () => client.received.find((r) => r.item.id === d.notification_id), 30_000, 5);
        latenciesFromStore.push(got.at - Date.parse(got.item.created_at));
        latenciesFromDispatch.push(got.at - sentAt);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(onA.received.map((r) => r.item.seq)).toEqual(onB.received.map((r) => r.item.seq));
    expect(onA.received).toHaveLength(11);
    expect(otherUser.received).toHaveLength(0);

    const report = (name: string, v: number[]) =>
      `${name}: p50 ${percentile(v, 50)} ms, p90 ${percentile(v, 90)} ms, max ${Math.max(...v)} ms (n=${v.length})`;
    process.stdout.write(
      `\n[ws latency] ${report('inbox row stored -> socket', latenciesFromStore)}\n[ws latency] ${report('dispatch produced -> socket', latenciesFromDispatch)}\n`,
    );
    // Generous on a shared 2-core machine; the measured figures are printed above.
    expect(percentile(latenciesFromStore, 50)).toBeLessThan(500);
  });

  it('a reconnecting client gets every row after its cursor, then live items, with no gaps or duplicates', async () => {
    const first = await open(0);
    const before = dispatch('before disconnect');
    await send(before);
    const seen = await waitFor('item before disconnect', () => first.received.find((r) => r.item.id === before.notification_id));
    await first.close();

    const missed = [dispatch('missed 1'), dispatch('missed 2'), dispatch('missed 3')];
    for (const d of missed) await send(d);
    await waitFor('missed items stored', async () => {
      const { rows } = await db.query('select count(*)::int as n from inbox where notification_id = any($1)', [
        missed.map((d) => d.notification_id),
      ]);
      return (rows[0] as { n: number }).n === 3 ? true : undefined;
    });

    const again = await open(1, USER, seen.item.seq);
    await waitFor('catch-up', () => (again.received.length >= 3 ? true : undefined));
    const live = dispatch('live after reconnect');
    await send(live);
    await waitFor('live item', () => again.received.find((r) => r.item.id === live.notification_id));
    await new Promise((r) => setTimeout(r, 500));

    const { rows } = await db.query<{ seq: string }>(
      'select seq::text from inbox where tenant = $1 and user_id = $2 and seq > $3 order by inbox.seq',
      [TENANT, USER, seen.item.seq],
    );
    const got = again.received.map((r) => r.item.seq);
    expect(got).toEqual(rows.map((r) => Number(r.seq)));
    expect(new Set(got).size).toBe(got.length);
    expect(again.received.map((r) => r.item.id)).toEqual([...missed, live].map((d) => d.notification_id));
  });

  it('catches up again when the client sends its cursor as a message', async () => {
    const client = await open(0);
    const { rows } = await db.query<{ seq: string }>('select seq::text from inbox where tenant = $1 and user_id = $2 order by inbox.seq', [
      TENANT,
      USER,
    ]);
    const cursor = Number((rows[rows.length - 3] as { seq: string }).seq);
    client.socket.send(JSON.stringify({ cursor: String(cursor) }));
    await waitFor('two rows after the cursor', () => (client.received.length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(client.received.map((r) => r.item.seq)).toEqual(rows.slice(-2).map((r) => Number(r.seq)));
  });

  it('ends a session when its token expires, with 4401', async () => {
    const { signUserToken } = await import('../src/auth');
    // Accepted for about one more second: expiry 29 s ago, within the verifier's 30 s skew.
    const nearlyExpired = signUserToken(stack.secret, { tenant: TENANT, userId: USER, role: 'user' }, 60, {
      nowSeconds: Math.floor(Date.now() / 1000) - 89,
    });
    const client = await connectWs(wsUrl(0, nearlyExpired));
    clients.push(client);
    const closed = await waitFor('server to close the expired session', () => client.closed ?? undefined, 10_000, 20);
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/token expired/);
  });

  it("keeps a session open past its first token when the client sends a fresh one, and refuses another user's", async () => {
    const { signUserToken } = await import('../src/auth');
    const nearlyExpired = signUserToken(stack.secret, { tenant: TENANT, userId: USER, role: 'user' }, 60, {
      nowSeconds: Math.floor(Date.now() / 1000) - 89,
    });
    const client = await connectWs(wsUrl(1, nearlyExpired));
    clients.push(client);
    client.socket.send(JSON.stringify({ token: stack.userToken(TENANT, USER) }));
    await new Promise((r) => setTimeout(r, 2_500));
    expect(client.closed).toBeNull();
    const d = dispatch('after refresh');
    await send(d);
    await waitFor('item on the refreshed session', () => client.received.find((r) => r.item.id === d.notification_id));

    client.socket.send(JSON.stringify({ token: stack.userToken(TENANT, 'someone-else') }));
    const closed = await waitFor("server to refuse another user's token", () => client.closed ?? undefined, 10_000, 20);
    expect(closed.code).toBe(4403);
  });
});
