/**
 * The relay measurement's own topics, so it never touches the pipeline's: created once, kept an hour.
 * Same partition count as the pipeline's event-keyed topics.
 */
import type { AdminPort } from '@notify/kafka';

export const RELAY_IN = 'bench.relay.in';
export const RELAY_OUT = 'bench.relay.out';
const PARTITIONS = 6;
const HOUR_MS = 60 * 60 * 1000;

export async function ensureRelayTopics(admin: AdminPort): Promise<void> {
  const existing = new Set(await admin.listTopics());
  await admin.createTopics(
    [RELAY_IN, RELAY_OUT]
      .filter((topic) => !existing.has(topic))
      .map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        configEntries: { 'cleanup.policy': 'delete', 'retention.ms': String(HOUR_MS) },
      })),
  );
}
