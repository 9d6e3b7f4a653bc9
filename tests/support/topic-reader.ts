/**
 * Reads a topic the way an analyst would: a plain kafkajs consumer in its own group, values decoded
 * through the schema registry by @kafkajs/confluent-schema-registry (not by our codec).
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface TopicReader<T> {
  records: Array<{ key: string | null; value: T; partition: number; offset: string }>;
  /** Keys of the tombstones (null values) read, in order: a compacted topic's deletions. */
  tombstones: Array<{ key: string | null; partition: number; offset: string }>;
  close(): Promise<void>;
}

export async function readTopic<T>(brokers: string[], registryUrl: string, topic: string): Promise<TopicReader<T>> {
  const registry = new SchemaRegistry({ host: registryUrl });
  const kafka = new Kafka({ clientId: 'test-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const records: TopicReader<T>['records'] = [];
  const tombstones: TopicReader<T>['tombstones'] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      if (!message.value) return void tombstones.push({ key: message.key?.toString() ?? null, partition, offset: message.offset });
      records.push({
        key: message.key?.toString() ?? null,
        value: (await registry.decode(message.value)) as T,
        partition,
        offset: message.offset,
      });
    },
  });
  return { records, tombstones, close: () => consumer.disconnect() };
}
