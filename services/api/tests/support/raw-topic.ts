/** Reads a physical topic byte for byte, tombstones and headers included. */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface RawRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export async function readRawTopic(brokers: string[], topic: string): Promise<{ records: RawRecord[]; close(): Promise<void> }> {
  const consumer = new Kafka({ clientId: 'raw-reader', brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: `raw-${randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  const records: RawRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
      records.push({ key: message.key?.toString() ?? null, value: message.value, headers });
    },
  });
  return { records, close: () => consumer.disconnect() };
}
