/**
 * Measurement 1, the ceiling: a no-op hop on the same broker with the same client settings as our
 * services (idempotent producer, eachBatch consumer, produce-then-commit). Records of an encoded
 * Event's size go into bench.relay.in, a relay forwards them unchanged to bench.relay.out, and a
 * reader notes when each arrives. Nothing is decoded, routed or stored: whatever the pipeline does
 * beyond this is the price of its work and its extra hops.
 */
import type { AvroCodec, KafkaPort, OutgoingRecord } from '@notify/kafka';
import { waitFor } from '../../../tests/support/wait';
import type { BenchArgs } from './args';
import { sendAll } from './batch-sender';
import { waitUntilDrained } from './group-lag';
import { orderFilled } from './order-filled';
import { ensureRelayTopics, RELAY_IN, RELAY_OUT } from './relay-topics';
import type { Resources } from './resources';
import { perSecond, summariseLatency, type LatencySummary } from './stats';
import { startConsumer } from './topic-consumer';

const RUN_HEADER = 'bench-run';
const SENT_HEADER = 'bench-sent-at';
/** Records per send of the relay, as the services' CHUNK_SIZE. */
const RELAY_CHUNK = 500;
const RELAY_GROUP = 'bench.relay';
const READER_GROUP = 'bench.relay.reader';

export interface RelayResult {
  records: number;
  recordBytes: number;
  arrived: number;
  /** First produce to last arrival. */
  seconds: number;
  recordsPerSecond: number;
  /** How fast the source alone got its records acknowledged. */
  produceRecordsPerSecond: number;
  /** Produce time (header set just before the send call) to arrival at the reader. */
  latencyMs: LatencySummary;
  relayPartitionsConcurrently: number;
}

export async function runRelay(deps: {
  kafka: KafkaPort;
  codec: AvroCodec;
  resources: Resources;
  args: BenchArgs;
  runId: string;
}): Promise<RelayResult> {
  const { kafka, codec, resources, args, runId } = deps;
  const total = args.relayEvents;

  const admin = kafka.admin();
  await admin.connect();
  resources.add('relay admin', () => admin.disconnect());
  await ensureRelayTopics(admin);

  // One real encoded Event, reused: the relay never looks inside, only the size matters.
  const value = codec.encode('notifications.events', orderFilled(`bench-${runId}-000000`, 'user-0', Date.now()));

  const relayProducer = kafka.producer();
  await relayProducer.connect();
  resources.add('relay producer', () => relayProducer.disconnect());
  const relay = await startConsumer(
    kafka,
    { groupId: RELAY_GROUP, topics: [RELAY_IN], partitionsConcurrently: args.relayPartitionsConcurrently },
    async (batch) => {
      for (let start = 0; start < batch.records.length; start += RELAY_CHUNK) {
        const chunk = batch.records.slice(start, start + RELAY_CHUNK);
        await relayProducer.send(chunk.map((r): OutgoingRecord => ({ topic: RELAY_OUT, key: r.key, value: r.value, headers: r.headers })));
      }
    },
  );
  resources.add('relay consumer', () => relay.stop());

  const latencies: number[] = [];
  const seen = new Set<string>();
  let lastArrival = 0;
  // The reader must not be what limits the figure, so it takes every partition at once.
  const reader = await startConsumer(kafka, { groupId: READER_GROUP, topics: [RELAY_OUT], partitionsConcurrently: 6 }, (batch) => {
    const now = Date.now();
    for (const r of batch.records) {
      if (r.headers[RUN_HEADER] !== runId || r.key === null || seen.has(r.key)) continue;
      seen.add(r.key);
      latencies.push(now - Number(r.headers[SENT_HEADER]));
      lastArrival = now;
    }
  });
  resources.add('relay reader', () => reader.stop());

  await Promise.race([
    Promise.all([relay.joined, reader.joined]),
    new Promise((_, reject) => setTimeout(() => reject(new Error('relay consumers did not join within 60 s')), 60_000)),
  ]);
  // Leftovers of an interrupted earlier run must be through before the clock starts.
  await waitUntilDrained(
    admin,
    [
      { groupId: RELAY_GROUP, topics: [RELAY_IN] },
      { groupId: READER_GROUP, topics: [RELAY_OUT] },
    ],
    120_000,
  );

  const source = kafka.producer();
  await source.connect();
  resources.add('relay source producer', () => source.disconnect());
  console.log(`[bench] relay: producing ${total} records of ${value.length} bytes`);
  const times = await sendAll(source, {
    total,
    batchSize: args.batchSize,
    inFlight: args.inFlight,
    rate: args.rate,
    build: (from, to, now) =>
      Array.from({ length: to - from }, (_, k) => ({
        topic: RELAY_IN,
        key: `r-${from + k}`,
        value,
        headers: { [RUN_HEADER]: runId, [SENT_HEADER]: String(now) },
      })),
  });
  await waitFor(`${total} relayed records`, () => (seen.size >= total ? true : undefined), args.drainTimeoutMs, 50).catch(
    (error: unknown) => {
      throw new Error(`relay: only ${seen.size} of ${total} records arrived: ${String(error)}`);
    },
  );

  return {
    records: total,
    recordBytes: value.length,
    arrived: seen.size,
    seconds: (lastArrival - times.firstSendAt) / 1000,
    recordsPerSecond: perSecond(total, times.firstSendAt, lastArrival),
    produceRecordsPerSecond: perSecond(total, times.firstSendAt, times.lastAckAt),
    latencyMs: summariseLatency(latencies),
    relayPartitionsConcurrently: args.relayPartitionsConcurrently,
  };
}
