/**
 * Real-time push latency, the issue's "within 100 ms of its dispatch": two API replicas (in this
 * process, as the tests run them) and the real channel-inapp worker (its own process), in a Kafka
 * namespace of their own. Each of `--users` users has one WebSocket open on each replica; dispatches
 * are produced one at a time every `--interval` ms, round-robin over the users, and for each one the
 * time from the produce call to its arrival on both sockets is recorded.
 *
 *   npx tsx scripts/bench-ws.ts [--dispatches 300] [--users 20] [--interval 50]
 *
 * Prints p50 / p95 / p99 / max of "dispatch produced → socket" and "inbox row stored → socket", and
 * whether p95 stays under 100 ms. Exit status 1 if any dispatch never arrived.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { AvroCodec, createKafka } from '@notify/kafka';
import { notificationId, recipientKey, type Dispatch } from '@notify/schemas';
import { startApiStack } from '../services/api/tests/support/api-stack';
import { startService } from '../tests/support/services';
import { waitFor } from '../tests/support/wait';
import { summariseLatency } from './src/bench/stats';
import { stackEnv } from './src/stack-env';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1] ?? fallback) : fallback;
}

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

async function main(): Promise<number> {
  const dispatches = argument('dispatches', 300);
  const users = argument('users', 20);
  const intervalMs = argument('interval', 50);
  const tenant = `wsbench-${randomUUID().slice(0, 6)}`;
  const { brokers, registryUrl } = stackEnv(process.env);
  const stack = await startApiStack({ replicas: 2 });
  const inapp = await startService('channel-inapp', { KAFKA_NAMESPACE: stack.namespace, LOG_LEVEL: 'warn' });
  const producer = createKafka({ clientId: 'bench-ws', brokers, logger: quiet, namespace: stack.namespace }).producer();
  const sockets: WebSocket[] = [];
  try {
    await producer.connect();
    const codec = await AvroCodec.connect(registryUrl, ['notifications.dispatch.inapp']);
    // arrivals[notification id] = arrival times on the sockets (one per replica), and the row's created_at.
    const arrivals = new Map<string, { at: number[]; storedAt: number }>();
    for (let u = 0; u < users; u++) {
      for (const replica of [0, 1]) {
        const url = `${stack.url(replica).replace('http', 'ws')}/v1/ws?token=${encodeURIComponent(stack.userToken(tenant, `u${u}`))}`;
        const socket = new WebSocket(url);
        socket.on('message', (data) => {
          const item = JSON.parse(String(data)) as { id: string; created_at: string };
          const seen = arrivals.get(item.id) ?? { at: [], storedAt: Date.parse(item.created_at) };
          seen.at.push(Date.now());
          arrivals.set(item.id, seen);
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
        sockets.push(socket);
      }
    }
    const dispatch = (u: number, n: number): Dispatch => {
      const eventId = `evt-${randomUUID()}`;
      const recipient = recipientKey(tenant, `u${u}`);
      const now = Date.now();
      return {
        notification_id: notificationId(eventId, recipient, 'inapp'),
        idempotency_key: `idem-${eventId}`,
        event_id: eventId,
        tenant,
        recipient,
        user_id: `u${u}`,
        channel: 'inapp',
        type: 'ORDER_FILLED',
        severity: 'info',
        severity_label: 'info',
        template: 'order.filled',
        priority: 'normal',
        locale: 'en',
        address: null,
        payload: JSON.stringify({ symbol: 'AAPL', order_id: `o${n}`, quantity: 1, price: 1 }),
        digest: null,
        attempt: 0,
        not_before: 0,
        replay: 0,
        occurred_at: now,
        created_at: now,
        time_zone: null,
      };
    };
    const send = async (d: Dispatch): Promise<number> => {
      const at = Date.now();
      await producer.send([
        { topic: 'notifications.dispatch.inapp', key: d.recipient, value: codec.encode('notifications.dispatch.inapp', d) },
      ]);
      return at;
    };
    // Warm-up: connections, metadata and the first statements on every hop.
    for (let u = 0; u < Math.min(users, 5); u++) {
      const d = dispatch(u, -1);
      await send(d);
      await waitFor('warm-up delivery', () => ((arrivals.get(d.notification_id)?.at.length ?? 0) >= 2 ? true : undefined), 30_000, 10);
    }
    const sent = new Map<string, number>();
    for (let n = 0; n < dispatches; n++) {
      const d = dispatch(n % users, n);
      sent.set(d.notification_id, await send(d));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await waitFor(
      'every dispatch on both replicas',
      () => ([...sent.keys()].every((id) => (arrivals.get(id)?.at.length ?? 0) >= 2) ? true : undefined),
      60_000,
      50,
    ).catch(() => undefined);
    const fromDispatch: number[] = [];
    const fromStore: number[] = [];
    let missing = 0;
    for (const [id, at] of sent) {
      const seen = arrivals.get(id);
      if (!seen || seen.at.length < 2) {
        missing += 1;
        continue;
      }
      for (const t of seen.at) {
        fromDispatch.push(t - at);
        fromStore.push(t - seen.storedAt);
      }
    }
    const a = summariseLatency(fromDispatch);
    const b = summariseLatency(fromStore);
    process.stdout.write(
      [
        `dispatches: ${dispatches} (one every ${intervalMs} ms over ${users} users, each with a socket on each of 2 replicas); missing: ${missing}`,
        `dispatch produced -> socket: p50 ${a.p50} ms, p95 ${a.p95} ms, p99 ${a.p99} ms, max ${a.max} ms (n=${a.count})`,
        `inbox row stored  -> socket: p50 ${b.p50} ms, p95 ${b.p95} ms, p99 ${b.p99} ms, max ${b.max} ms (n=${b.count})`,
        `100 ms target at p95: ${a.p95 <= 100 ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
    return missing === 0 ? 0 : 1;
  } finally {
    for (const s of sockets) s.terminate();
    await producer.disconnect();
    await inapp.stop();
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
