/**
 * Follows notifications.delivery-status from its current end with a plain kafkajs consumer, values
 * decoded through the registry by our codec (the schema of each record's id). Starting at the end matters for the demo: the topic
 * keeps 30 days of statuses, and reading them all before the demo event's would take long.
 * `start()` resolves once the group has its partitions, so a record produced afterwards is seen.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { AvroCodec } from '@notify/kafka';
import type { DeliveryStatus } from '@notify/schemas';

export interface StatusFollower {
  statuses: DeliveryStatus[];
  close(): Promise<void>;
}

const TOPIC = 'notifications.delivery-status';

export async function followStatuses(brokers: string[], registryUrl: string, namespace = ''): Promise<StatusFollower> {
  const codec = await AvroCodec.connect(registryUrl, []);
  const kafka = new Kafka({ clientId: 'demo-status-reader', brokers, logLevel: logLevel.NOTHING });
  const groupId = `${namespace}demo-status-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const statuses: DeliveryStatus[] = [];
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: `${namespace}${TOPIC}`, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      // Someone else's unreadable record is not the demo's concern.
      const value = await codec.decode(TOPIC, message.value).catch(() => null);
      if (value) statuses.push(value);
    },
  });
  await joined;
  return {
    statuses,
    close: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
