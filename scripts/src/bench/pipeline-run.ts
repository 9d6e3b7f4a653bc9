/**
 * Measurement 2, the real thing: the five services as separate processes (exactly as the e2e test
 * starts them) in a Kafka namespace of their own, N ORDER_FILLED events produced straight to
 * notifications.events, and the time until each event's in-app and webhook notifications are both
 * terminal on notifications.delivery-status.
 */
import { createKafka, type AvroCodec } from '@notify/kafka';
import { stackEnv } from '../stack-env';
import { startPipeline } from '../../../tests/support/pipeline';
import { waitFor } from '../../../tests/support/wait';
import type { BenchArgs } from './args';
import { sendAll } from './batch-sender';
import { cpuBetween, snapshotCpu, type CpuUsage } from './cpu-usage';
import { DeliveryTracker } from './delivery-tracker';
import { postgresCommits, recordsPerTopic } from './footprint';
import { totalLag, waitUntilDrained } from './group-lag';
import { benchKafkaLogger } from './kafka-logger';
import { sampleTimeline, type TimelinePoint } from './lag-timeline';
import { BENCH_RULES, BENCH_TENANT, orderFilled } from './order-filled';
import { pipelineGroups } from './pipeline-groups';
import type { Resources } from './resources';
import { countProblems } from './service-logs';
import { perSecond, summariseLatency, type LatencySummary } from './stats';
import { startStatusReader, STATUS_READER_GROUP, STATUS_TOPIC } from './status-reader';

/** Each event goes to one user on two channels (in-app and webhook). */
const NOTIFICATIONS_PER_EVENT = 2;
const PROBES = 12;
const WARMUP_TIMEOUT_MS = 120_000;

export interface PipelineResult {
  /** Prefix of the run's own topics and groups; dropped at the end. */
  namespace: string;
  events: number;
  finished: number;
  delivered: number;
  /** Events whose notifications did not all reach `delivered` in time (must be 0). */
  notDelivered: number;
  notDeliveredExamples: string[];
  /** First produce to the last terminal status read by the bench. */
  seconds: number;
  eventsPerSecond: number;
  produceEventsPerSecond: number;
  /** occurred_at (set just before the send call) to the last terminal status's own `at` (when the channel worker decided it). */
  latencyToTerminalAtMs: LatencySummary;
  /** occurred_at to when the bench read that last terminal status. */
  latencyToStatusReadMs: LatencySummary;
  warmupSeconds: number;
  serviceEnv: Record<string, string>;
  cpu: CpuUsage | null;
  /** Finished events and per-stage consumer lag every 2 s while draining. */
  timeline: TimelinePoint[];
  /** Warnings and errors the services logged, by service and message. */
  serviceProblems: Record<string, Record<string, number>>;
  /**
   * Kafka records per event in each of the run's topics (probes included in the count; end offsets,
   * so the aggregator's transaction markers count too).
   */
  recordsPerEvent: Record<string, number>;
  /** Postgres transactions committed per event during the measurement (null without psql). */
  postgresCommitsPerEvent: number | null;
}

export async function runPipeline(deps: {
  codec: AvroCodec;
  resources: Resources;
  args: BenchArgs;
  runId: string;
  brokers: string[];
}): Promise<PipelineResult> {
  const { codec, resources, args, runId, brokers } = deps;
  const total = args.events;
  const serviceEnv: Record<string, string> = { GROUP_SUFFIX: 'bench', ...args.serviceEnv };
  const groups = [...pipelineGroups(serviceEnv.GROUP_SUFFIX ?? ''), { groupId: STATUS_READER_GROUP, topics: [STATUS_TOPIC] }];
  // Fresh topics and groups for every run: no history to work through, and nobody else's records.
  const namespace = `bench-${runId}.`;
  const kafka = createKafka({ clientId: 'bench', brokers, logger: benchKafkaLogger, namespace });

  const admin = kafka.admin();
  await admin.connect();
  resources.add('pipeline admin', () => admin.disconnect());
  // Runs after the services stopped and the namespace's topics were dropped: the groups go too.
  resources.add('bench consumer groups', () => admin.deleteGroups(groups.map((g) => g.groupId)));

  console.log(
    `[bench] pipeline: starting 5 services in namespace ${namespace} (${Object.entries(serviceEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')})`,
  );
  const pipeline = await startPipeline({ tenant: BENCH_TENANT, rulesYaml: BENCH_RULES, env: serviceEnv, namespace });
  resources.add('pipeline services and topics', () => pipeline.stop());

  const producer = kafka.producer();
  await producer.connect();
  resources.add('event producer', () => producer.disconnect());
  const tracker = new DeliveryTracker(NOTIFICATIONS_PER_EVENT);
  const reader = await startStatusReader(kafka, codec, tracker);
  resources.add('status reader', () => reader.stop());
  await reader.joined;

  // Probes warm the services (JIT, connections, pools) and prove the pipeline delivers at all.
  const warmupStart = Date.now();
  const probes = Array.from({ length: PROBES }, (_, k) => orderFilled(`bench-${runId}-p${k}`, `probe-${k}`, Date.now()));
  for (const p of probes) tracker.expect(p.event_id, p.occurred_at);
  await producer.send(
    probes.map((p) => ({ topic: 'notifications.events', key: p.event_id, value: codec.encode('notifications.events', p) })),
  );
  await waitFor(
    'warm-up probes to be delivered',
    () => (probes.every((p) => tracker.isFinished(p.event_id)) ? true : undefined),
    WARMUP_TIMEOUT_MS,
    100,
  ).catch(async (error: unknown) => {
    const lags = await totalLag(admin, groups).catch(() => ({}));
    const tails = pipeline.services.map((svc) => `--- ${svc.name} ---\n${svc.output.join('').split('\n').slice(-8).join('\n')}`).join('\n');
    throw new Error(
      `${String(error)}; ${probes.filter((p) => tracker.isFinished(p.event_id)).length}/${PROBES} probes finished; lag ${JSON.stringify(lags)}\n${tails}`,
    );
  });
  const failedProbe = tracker.report().finished.find((e) => !e.delivered);
  if (failedProbe)
    throw new Error(`warm-up probe ${failedProbe.eventId} ended ${failedProbe.outcome}, not delivered: the pipeline is not working`);
  await waitUntilDrained(admin, groups, WARMUP_TIMEOUT_MS);
  const warmupSeconds = (Date.now() - warmupStart) / 1000;
  console.log(`[bench] pipeline: warm, ${PROBES} probes delivered after ${warmupSeconds.toFixed(1)} s; producing ${total} events`);

  const databaseUrl = serviceEnv.DATABASE_URL ?? stackEnv(process.env).databaseUrl;
  const commitsBefore = postgresCommits(databaseUrl);
  const cpuBefore = snapshotCpu();
  const timeline = sampleTimeline(admin, groups, serviceEnv.GROUP_SUFFIX ?? '', Date.now(), () => tracker.finished - PROBES, total);
  const measuredId = (i: number) => `bench-${runId}-e${i}`;
  const times = await sendAll(producer, {
    total,
    batchSize: args.batchSize,
    inFlight: args.inFlight,
    rate: args.rate,
    build: (from, to, now) =>
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        const event = orderFilled(measuredId(i), `user-${i % args.users}`, now);
        tracker.expect(event.event_id, now);
        return { topic: 'notifications.events', key: event.event_id, value: codec.encode('notifications.events', event) };
      }),
  });
  console.log(`[bench] pipeline: ${total} events acknowledged by Kafka in ${((times.lastAckAt - times.firstSendAt) / 1000).toFixed(1)} s`);

  try {
    await waitFor('every event to finish', () => (tracker.finished >= total + PROBES ? true : undefined), args.drainTimeoutMs, 50);
  } catch {
    console.error(
      `[bench] pipeline: gave up waiting after ${args.drainTimeoutMs / 1000} s with ${tracker.finished - PROBES}/${total} finished`,
    );
  }
  const cpuAfter = snapshotCpu();
  const commitsAfter = postgresCommits(databaseUrl);
  const points = await timeline.stop();
  const recordsPerEvent: Record<string, number> = {};
  for (const [topic, records] of Object.entries(await recordsPerTopic(admin)))
    recordsPerEvent[topic] = Math.round((records / (total + PROBES)) * 100) / 100;

  const { finished, unfinished } = tracker.report();
  const measured = finished.filter((e) => e.eventId.startsWith(`bench-${runId}-e`));
  const delivered = measured.filter((e) => e.delivered);
  const lastArrival = measured.reduce((latest, e) => Math.max(latest, e.lastArrivalAt), 0);
  const notDelivered = [
    ...measured.filter((e) => !e.delivered).map((e) => `${e.eventId}: ${e.outcome}`),
    ...unfinished.filter((id) => id.startsWith(`bench-${runId}-e`)).map((id) => `${id}: not finished`),
  ];
  return {
    namespace,
    events: total,
    finished: measured.length,
    delivered: delivered.length,
    notDelivered: notDelivered.length,
    notDeliveredExamples: notDelivered.slice(0, 10),
    seconds: (lastArrival - times.firstSendAt) / 1000,
    eventsPerSecond: perSecond(measured.length, times.firstSendAt, lastArrival),
    produceEventsPerSecond: perSecond(total, times.firstSendAt, times.lastAckAt),
    latencyToTerminalAtMs: summariseLatency(measured.map((e) => e.lastTerminalAt - e.occurredAt)),
    latencyToStatusReadMs: summariseLatency(measured.map((e) => e.lastArrivalAt - e.occurredAt)),
    warmupSeconds,
    serviceEnv,
    cpu: cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : null,
    timeline: points,
    serviceProblems: countProblems(pipeline.services),
    recordsPerEvent,
    postgresCommitsPerEvent:
      commitsBefore !== null && commitsAfter !== null ? Math.round(((commitsAfter - commitsBefore) / total) * 100) / 100 : null,
  };
}
