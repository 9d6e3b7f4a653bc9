/**
 * Watches notifications.intents during the fan-out bench without decoding a single record: the key is
 * the recipient (<tenant>/<user_id>), which is enough to count the fan-out's distinct recipients and to
 * spot the probe events' intents. Record timestamps are the router's produce times, so the fan-out's
 * duration does not include this watcher's own lag.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface IntentWatcher {
  /** Distinct recipients of the fan-out tenant seen so far, and how many records carried them. */
  fanout(): { distinct: number; records: number; lastTimestamp: number };
  /** Resolves with the record timestamp of the first intent for this probe recipient key. */
  probeRouted(recipientKey: string): Promise<number>;
  close(): Promise<void>;
}

export async function watchIntents(brokers: string[], topic: string, fanoutTenant: string): Promise<IntentWatcher> {
  const kafka = new Kafka({ clientId: 'bench-fanout-watch', brokers, logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({
    groupId: `bench-fanout-watch-${randomUUID()}`,
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  const prefix = `${fanoutTenant}/`;
  const seen = new Set<string>();
  let records = 0;
  let lastTimestamp = 0;
  const probes = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const key = message.key?.toString() ?? '';
        const at = Number(message.timestamp);
        if (key.startsWith(prefix)) {
          seen.add(key);
          records += 1;
          if (at > lastTimestamp) lastTimestamp = at;
        } else if (!probes.has(key)) {
          probes.set(key, at);
          waiting.get(key)?.(at);
        }
      }
    },
  });
  return {
    fanout: () => ({ distinct: seen.size, records, lastTimestamp }),
    probeRouted: (recipientKey) => {
      const known = probes.get(recipientKey);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => waiting.set(recipientKey, resolve));
    },
    close: () => consumer.disconnect(),
  };
}
