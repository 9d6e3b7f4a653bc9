/**
 * Audience fan-out benchmark: `npx tsx scripts/src/bench/fanout-bench.ts [--members 1000000]`.
 * Seeds an audience straight into the router's Postgres index (generate_series; the Kafka path of the
 * index is covered by services/router/tests/fanout.test.ts), starts one real router in its own Kafka
 * namespace, produces one event for the audience, and measures
 *  - fan-out throughput: intents per second from the event's produce time to the last intent's timestamp,
 *  - the router's resident memory (sampled VmRSS, and VmHWM, the kernel's peak since start),
 *  - routing latency of ordinary events produced every 500 ms while the fan-out runs.
 * Prints a JSON summary; drops its namespace and index rows at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateToLatest, sql } from '@notify/db';
import { AvroCodec, createKafka } from '@notify/kafka';
import type { AcceptedEvent } from '@notify/schemas';
import { dropNamespace, provision } from '../provision';
import { stackEnv } from '../stack-env';
import { benchKafkaLogger } from './kafka-logger';
import { watchIntents } from './fanout-intent-watcher';
import { startRouterProcess } from './fanout-router-process';
import { Resources } from './resources';

const AUDIENCE = 'tier:TIER_1_SFO';
const PROBE_EVERY_MS = 500;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function event(tenant: string, fields: Partial<AcceptedEvent>): AcceptedEvent {
  const now = Date.now();
  return {
    event_id: `evt-${randomUUID()}`,
    type: 'DEAL_SCARCITY',
    producer: 'fomo-alert-engine',
    tenant,
    occurred_at: now,
    accepted_at: now,
    severity: 'critical',
    severity_label: 'high',
    payload: JSON.stringify({ deal_name: 'SpaceX Secondary Series N', remaining_capacity: 500000 }),
    dedupe_key: null,
    recipients: [],
    audience: null,
    labels: {},
    ...fields,
  };
}

async function run(resources: Resources): Promise<object> {
  const members = option('members', 1_000_000);
  const pageSize = option('page-size', 1000);
  const run = randomUUID().slice(0, 8);
  const namespace = `bench-fanout-${run}.`;
  const tenant = `bfan${run}`;
  const probeTenant = `bprobe${run}`;
  const env = { ...process.env, KAFKA_NAMESPACE: namespace };
  const { brokers, registryUrl, databaseUrl } = stackEnv(env);

  // Metadata can lag right after topics are created (UNKNOWN_TOPIC_OR_PARTITION); provisioning is idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      await provision(env);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  resources.add('namespace', () => dropNamespace(env));
  const db = createDb(databaseUrl, 2);
  resources.add('database', () => db.destroy());
  resources.add('index rows', async () => {
    await sql`DELETE FROM audience_members WHERE tenant = ${tenant}`.execute(db);
  });
  // The router migrates at start too; doing it here lets the seed run before the router exists.
  await migrateToLatest(db);
  const seedStarted = Date.now();
  await sql`
    INSERT INTO audience_members (tenant, audience, user_id)
    SELECT ${tenant}, ${AUDIENCE}, 'u' || lpad(g::text, 8, '0') FROM generate_series(1, ${members}::int) AS g`.execute(db);
  await sql`ANALYZE audience_members`.execute(db);
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const rulesDir = mkdtempSync(join(tmpdir(), 'bench-fanout-rules-'));
  resources.add('rules dir', async () => rmSync(rulesDir, { recursive: true, force: true }));
  // One file per tenant, the documented layout; probes are a tenant of their own so their intents are told apart by key.
  for (const t of [tenant, probeTenant]) {
    writeFileSync(
      join(rulesDir, `${t}.yaml`),
      `tenant: ${t}\nrules:\n  - { name: Scarcity, event_type: DEAL_SCARCITY, actions: [{ channels: [inapp], priority: high }] }\n`,
    );
  }

  const router = await startRouterProcess({ KAFKA_NAMESPACE: namespace, RULES_PATH: rulesDir, FANOUT_PAGE_SIZE: String(pageSize) });
  resources.add('router', () => router.stop());
  const idle = router.memory();
  const watcher = await watchIntents(brokers, `${namespace}notifications.intents`, tenant);
  resources.add('intent watcher', () => watcher.close());
  const codec = await AvroCodec.connect(registryUrl, ['notifications.accepted']);
  const producer = createKafka({ clientId: 'bench-fanout', brokers, logger: benchKafkaLogger, namespace }).producer();
  await producer.connect();
  resources.add('producer', () => producer.disconnect());
  const send = (e: AcceptedEvent) =>
    producer.send([{ topic: 'notifications.accepted', key: e.event_id, value: codec.encode('notifications.accepted', e) }]);

  // Ordinary routing latency with no fan-out running, to compare with the latency during one.
  const idleLatencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const probe = event(probeTenant, { recipients: [`idle${i}`] });
    const sentAt = Date.now();
    await send(probe);
    idleLatencies.push((await watcher.probeRouted(`${probeTenant}/idle${i}`)) - sentAt);
    await new Promise((r) => setTimeout(r, 200));
  }
  idleLatencies.sort((a, b) => a - b);

  const fanout = event(tenant, { audience: AUDIENCE });
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  await send(fanout);

  const latencies: number[] = [];
  const pendingProbes: Array<Promise<void>> = [];
  let peakSampledMiB = 0;
  let probeNo = 0;
  let lastReport = 0;
  while (watcher.fanout().distinct < members) {
    const probe = event(probeTenant, { recipients: [`p${probeNo++}`] });
    const sentAt = Date.now();
    await send(probe);
    pendingProbes.push(watcher.probeRouted(`${probeTenant}/${probe.recipients[0]}`).then((at) => void latencies.push(at - sentAt)));
    peakSampledMiB = Math.max(peakSampledMiB, router.memory().rssMiB);
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      console.error(`[bench] ${watcher.fanout().distinct} / ${members} intents, router RSS ${router.memory().rssMiB.toFixed(0)} MiB`);
    }
    if (Date.now() - startedAt > 30 * 60_000)
      throw new Error(`fan-out incomplete after 30 minutes: ${watcher.fanout().distinct} of ${members}`);
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  const { distinct, records, lastTimestamp } = watcher.fanout();
  await Promise.race([Promise.all(pendingProbes), new Promise((r) => setTimeout(r, 30_000))]);
  const memory = router.memory();
  const seconds = (lastTimestamp - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    members,
    pageSize,
    seedSeconds,
    fanout: { distinctRecipients: distinct, intentRecords: records, seconds, intentsPerSecond: Math.round(distinct / seconds) },
    routerMemoryMiB: {
      idleRss: Math.round(idle.rssMiB),
      peakSampledRss: Math.round(peakSampledMiB),
      peakVmHWM: Math.round(memory.peakMiB),
    },
    machine: { cpus: cpus().length, loadAverage1mBefore: loadBefore, loadAverage1mAfter: loadavg()[0] },
    idleOrdinaryEventLatencyMs: { probes: idleLatencies.length, p50: percentile(idleLatencies, 50), max: idleLatencies.at(-1) },
    ordinaryEventLatencyMs: {
      probes: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
    },
  };
}

async function main(): Promise<void> {
  const resources = new Resources();
  const onSignal = () => void resources.closeAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(JSON.stringify(await run(resources), null, 2));
  } finally {
    await resources.closeAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`fan-out bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
