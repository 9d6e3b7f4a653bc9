/**
 * Throughput and memory of the aggregator alone, in a namespace of its own:
 *
 *   npx tsx scripts/bench-aggregator.ts [--recipients 100000] [--intents-per-recipient 2]
 *
 * 1. publishes a Recipient record for every recipient (the table the aggregator restores and joins);
 * 2. produces every intent up front, the first per recipient opening a one-hour digest window (seed
 *    004's info default) and the rest split between joining it and immediate delivery, so the
 *    aggregator holds one open window per recipient while it works;
 * 3. starts one aggregator process and times how long its group takes to commit the last intent
 *    (offsets commit in the same transactions as outputs and state, so that is "processed");
 * 4. reads the process's resident memory, then restarts it and times the restore of all that state.
 */
import { randomUUID } from 'node:crypto';
import { AvroCodec, createKafka } from '@notify/kafka';
import { intentId, notificationId, type Intent, type Recipient } from '@notify/schemas';
import { startService, type ServiceProcess } from '../tests/support/services';
import { dropNamespace, provision } from './src/provision';
import { stackEnv } from './src/stack-env';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const HOUR = 60 * 60_000;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function metric(service: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.opsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

async function main(): Promise<void> {
  const recipients = argument('recipients', 100_000);
  const perRecipient = argument('intents-per-recipient', 2);
  const namespace = `bench-agg-${randomUUID().slice(0, 8)}.`;
  const stack = stackEnv(process.env);
  const env = { ...process.env, KAFKA_NAMESPACE: namespace };
  await provision(env);
  const kafka = createKafka({ clientId: 'bench-aggregator', brokers: stack.brokers, logger: quiet, namespace });
  const codec = await AvroCodec.connect(stack.registryUrl, ['notifications.intents', 'notifications.recipients']);
  const producer = kafka.producer();
  await producer.connect();
  const services: ServiceProcess[] = [];
  try {
    const users = Array.from({ length: recipients }, (_, n) => `u${n}`);
    const t0 = Date.now();
    for (let start = 0; start < users.length; start += 2_000) {
      await producer.send(
        users.slice(start, start + 2_000).map((u) => ({
          topic: 'notifications.recipients',
          key: `bench/${u}`,
          value: codec.encode('notifications.recipients', {
            tenant: 'bench',
            user_id: u,
            email: `${u}@example.com`,
            email_verified: true,
            phone: null,
            phone_verified: false,
            timezone: 'Europe/Paris',
            locale: 'en',
            audiences: [],
            push_subscriptions: [],
            chat: {},
            opted_out: [],
            devices: [],
            updated_at: 1,
          } satisfies Recipient),
        })),
      );
    }
    const intents: Intent[] = [];
    for (let round = 0; round < perRecipient; round++) {
      for (const u of users) {
        const eventId = `ev-${round}-${u}`;
        const recipient = `bench/${u}`;
        const batched = round === 0 || round % 2 === 1;
        intents.push({
          intent_id: intentId(eventId, recipient),
          event_id: eventId,
          tenant: 'bench',
          recipient,
          user_id: u,
          type: round % 3 === 0 ? 'ORDER_FILLED' : 'PRICE_ALERT',
          severity: 'info',
          severity_label: 'info',
          channels: ['inapp', 'email'],
          notification_ids: { inapp: notificationId(eventId, recipient, 'inapp'), email: notificationId(eventId, recipient, 'email') },
          template: 'order.filled',
          priority: 'normal',
          rule: null,
          bypass_quiet_hours: false,
          mandatory: false,
          batching: batched ? { window_ms: HOUR, group_by: null, max_items: null } : null,
          escalation: [],
          payload: `{"symbol":"AAPL","qty":${round}}`,
          dedupe_key: null,
          labels: {},
          inhibit_labels: [],
          occurred_at: Date.now(),
          routed_at: Date.now(),
          team_channels: [],
        });
      }
    }
    for (let start = 0; start < intents.length; start += 2_000) {
      await producer.send(
        intents
          .slice(start, start + 2_000)
          .map((i) => ({ topic: 'notifications.intents', key: i.recipient, value: codec.encode('notifications.intents', i) })),
      );
    }
    console.log(`produced ${recipients} recipients and ${intents.length} intents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const admin = kafka.admin();
    await admin.connect();
    const serviceEnv = { KAFKA_NAMESPACE: namespace, LOG_LEVEL: 'warn', PARTITIONS_CONCURRENTLY: '6' };
    const started = Date.now();
    const aggregator = await startService('aggregator', serviceEnv);
    services.push(aggregator);
    const ready = Date.now();
    let peakRss = 0;
    for (;;) {
      const lag = await admin.groupLag('notifications.aggregator', ['notifications.intents']);
      peakRss = Math.max(peakRss, await metric(aggregator, 'process_resident_memory_bytes'));
      if (lag.length > 0 && lag.every((l) => l.committed !== '-1' && l.lag === 0)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const done = Date.now();
    const rss = await metric(aggregator, 'process_resident_memory_bytes');
    const seconds = (done - ready) / 1000;
    console.log(
      `aggregator: start to ready ${((ready - started) / 1000).toFixed(1)} s; ${intents.length} intents in ${seconds.toFixed(1)} s = ${Math.round(intents.length / seconds)} intents/s`,
    );
    console.log(
      `resident memory with ${recipients} recipients (one open window each): ${(rss / 2 ** 20).toFixed(0)} MiB at the end, peak sampled ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );

    await aggregator.stop();
    services.pop();
    const restartAt = Date.now();
    const restarted = await startService('aggregator', serviceEnv);
    services.push(restarted);
    console.log(
      `restart: ready (all partitions restored: ${recipients} recipients' state and table) after ${((Date.now() - restartAt) / 1000).toFixed(1)} s; RSS ${((await metric(restarted, 'process_resident_memory_bytes')) / 2 ** 20).toFixed(0)} MiB`,
    );
    await admin.disconnect();
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await producer.disconnect();
    await dropNamespace(env);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
