/**
 * A private Kafka namespace for one aggregator test file: its own topics (dropped at the end), a
 * producer that writes records as the router and the API would (Avro, keyed by recipient), and
 * read-committed readers of what the aggregator emits.
 */
import { randomUUID } from 'node:crypto';
import { AvroCodec, createKafka, type KafkaPort, type ProducerPort } from '@notify/kafka';
import { type DeliveryStatus, type Dispatch, type TopicName, type ValueOf } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';

export const stack = stackEnv(process.env);
const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

export interface TestBed {
  namespace: string;
  env: Record<string, string>;
  produce<T extends TopicName>(topic: T, key: string, value: ValueOf<T>): Promise<void>;
  produceMany<T extends TopicName>(topic: T, records: Array<{ key: string; value: ValueOf<T> }>): Promise<void>;
  /** A null value for the key, as the API's erasure writes to compacted topics. */
  tombstone(topic: TopicName, key: string): Promise<void>;
  statuses: TopicReader<DeliveryStatus>;
  dispatches(channel: string): TopicReader<Dispatch>;
  close(): Promise<void>;
}

export async function openTestBed(extraEnv: Record<string, string> = {}): Promise<TestBed> {
  const namespace = `t-agg-${randomUUID().slice(0, 8)}.`;
  const env = {
    KAFKA_NAMESPACE: namespace,
    USER_PARTITIONS: '2',
    EVENT_PARTITIONS: '2',
    SMALL_PARTITIONS: '1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  await provision({ ...process.env, ...env });
  const kafka: KafkaPort = createKafka({ clientId: 'aggregator-test', brokers: stack.brokers, logger: quiet, namespace });
  const codec = await AvroCodec.connect(stack.registryUrl, []);
  await codec.registerTopics(['notifications.intents', 'notifications.preferences', 'notifications.recipients', 'notifications.acks']);
  const producer: ProducerPort = kafka.producer();
  await producer.connect();
  const readers: Array<TopicReader<unknown>> = [];
  const dispatchReaders = new Map<string, TopicReader<Dispatch>>();
  const statuses = await readTopic<DeliveryStatus>(stack.brokers, stack.registryUrl, `${namespace}notifications.delivery-status`);
  readers.push(statuses);
  const bed: TestBed = {
    namespace,
    env,
    produce: (topic, key, value) => producer.send([{ topic, key, value: codec.encode(topic, value) }]),
    produceMany: (topic, records) => producer.send(records.map((r) => ({ topic, key: r.key, value: codec.encode(topic, r.value) }))),
    tombstone: (topic, key) => producer.send([{ topic, key, value: null }]),
    statuses,
    dispatches: (channel) => {
      const existing = dispatchReaders.get(channel);
      if (!existing) throw new Error(`no reader for ${channel}; open it with readDispatches first`);
      return existing;
    },
    close: async () => {
      await producer.disconnect();
      await Promise.all(readers.map((r) => r.close()));
      await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    },
  };
  for (const channel of ['inapp', 'email', 'sms']) {
    const reader = await readTopic<Dispatch>(stack.brokers, stack.registryUrl, `${namespace}notifications.dispatch.${channel}`);
    dispatchReaders.set(channel, reader);
    readers.push(reader);
  }
  return bed;
}

/** Counts of each value of `by` over the records, to find duplicates. */
export function countBy<T>(records: T[], by: (r: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(by(r), (counts.get(by(r)) ?? 0) + 1);
  return counts;
}
