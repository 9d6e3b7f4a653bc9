/**
 * Helpers for running the shared Worker in-process against the real stack. Topics carry history from
 * earlier runs and other suites, so every consumer group here is first positioned at the current end
 * of its topics (through the real Kafka admin API) and everything a test looks at is filtered by the
 * run's unique prefix.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import pino from 'pino';
import { AvroCodec, createKafka, type KafkaLogger, type KafkaPort, type OutgoingRecord, type ProducerPort } from '@notify/kafka';
import { createLogger, createMetrics, Worker, type Handler, type Logger, type WorkerMetrics, type WorkerSettings } from '@notify/runner';
import type { AcceptedEvent, TopicName, ValueOf } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';

export const env = stackEnv(process.env);
export const INPUT = 'notifications.accepted' as const;

export const quietKafkaLogger: KafkaLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

export function rawKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: env.brokers, logLevel: logLevel.NOTHING });
}

/** Commits the current end offset of every partition of `topics` for a group that has no members yet. */
export async function startGroupAtEnd(admin: Admin, groupId: string, topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
  }
}

/** Committed offset per partition of one topic for a group, as numbers (-1: none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

export interface ReadRecord<T> {
  key: string | null;
  value: T;
  partition: number;
  offset: string;
}

export interface LiveReader<T> {
  records: Array<ReadRecord<T>>;
  close(): Promise<void>;
}

/**
 * Reads a topic from its end at the moment of the call onward, decoding with the codec. Records the
 * codec cannot decode are skipped (other suites may write junk to the same topics).
 */
export async function readFromNow<T extends TopicName>(admin: Admin, codec: AvroCodec, topic: T): Promise<LiveReader<ValueOf<T>>> {
  const ends = await admin.fetchTopicOffsets(topic);
  const consumer: Consumer = rawKafka('test-runner-reader').consumer({
    groupId: `test-runner-reader-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  const records: Array<ReadRecord<ValueOf<T>>> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      try {
        const value = await codec.decode(topic, message.value);
        records.push({ key: message.key?.toString() ?? null, value, partition, offset: message.offset });
      } catch {
        // not ours
      }
    },
  });
  // Seeks made right after run() apply before the first fetch, so nothing written from here on is missed.
  for (const p of ends) consumer.seek({ topic, partition: p.partition, offset: p.high });
  return { records, close: () => consumer.disconnect() };
}

export function acceptedEvent(eventId: string, tenant: string): AcceptedEvent {
  return {
    event_id: eventId,
    type: 'WORKER_TEST',
    producer: 'worker-test',
    tenant,
    occurred_at: Date.now(),
    accepted_at: Date.now(),
    severity: 'info',
    severity_label: 'info',
    payload: '{}',
    dedupe_key: null,
    recipients: [],
    audience: null,
    labels: {},
  };
}

export const FAST_SETTINGS: WorkerSettings = {
  concurrency: 1,
  partitionsConcurrently: 3,
  chunkSize: 100,
  retry: { initialMs: 20, maxMs: 200 },
};

/** One Kafka client, codec and producer shared by a test file; workers get their own consumer and producer. */
export interface Rig {
  kafka: KafkaPort;
  codec: AvroCodec;
  admin: Admin;
  producer: ProducerPort;
  log: Logger;
  close(): Promise<void>;
}

export async function openRig(clientId: string): Promise<Rig> {
  const kafka = createKafka({ clientId, brokers: env.brokers, logger: quietKafkaLogger });
  const codec = await AvroCodec.connect(env.registryUrl, [INPUT, 'notifications.acks', 'notifications.delivery-status']);
  const admin = rawKafka(`${clientId}-admin`).admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  return {
    kafka,
    codec,
    admin,
    producer,
    log: createLogger(clientId, 'silent'),
    close: async () => {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

export interface WorkerOptions {
  settings?: WorkerSettings;
  metrics?: WorkerMetrics;
  log?: Logger;
}

export function newWorker(
  rig: Rig,
  groupId: string,
  stage: string,
  handler: Handler<typeof INPUT>,
  options: WorkerOptions = {},
): Worker<typeof INPUT> {
  return new Worker(
    { stage, groupId, inputs: [INPUT], outputs: ['notifications.delivery-status'], handler },
    options.settings ?? FAST_SETTINGS,
    { kafka: rig.kafka, codec: rig.codec, log: options.log ?? rig.log, metrics: options.metrics ?? createMetrics(stage) },
  );
}

/** A logger that keeps each line's message, for asserting on what the worker reported. */
export function capturingLogger(): { log: Logger; messages: string[] } {
  const messages: string[] = [];
  const log = pino(
    { level: 'info', messageKey: 'msg' },
    {
      write: (line: string) => {
        messages.push(String((JSON.parse(line) as { msg?: unknown }).msg));
      },
    },
  );
  return { log, messages };
}

export function encodedInput(rig: Rig, event: AcceptedEvent, partition?: number): OutgoingRecord {
  return { topic: INPUT, key: event.event_id, value: rig.codec.encode(INPUT, event), ...(partition === undefined ? {} : { partition }) };
}
