/**
 * Creates every topic of the design table that is missing, with its partitions, cleanup policy and
 * retention, and registers every value schema. Safe to run any number of times.
 */
import { TOPICS, type TopicSpec } from '@notify/schemas';
import type { AdminPort, TopicConfig } from './port';
import type { AvroCodec } from './codec';

export interface PartitionCounts {
  /** Topics keyed by recipient; one count so they co-partition. */
  user: number;
  /** Topics keyed by event or notification id. */
  event: number;
  /** Low-volume operator topics (rejected, dead letters). */
  small: number;
}

export function topicConfig(spec: TopicSpec, counts: PartitionCounts): TopicConfig {
  const configEntries: Record<string, string> = { 'cleanup.policy': spec.cleanup };
  if (spec.retentionMs !== undefined) configEntries['retention.ms'] = String(spec.retentionMs);
  if (spec.cleanup === 'compact') {
    // Tombstones (erasure) must stay long enough for every restoring consumer to see them.
    configEntries['delete.retention.ms'] = String(24 * 60 * 60 * 1000);
    configEntries['min.cleanable.dirty.ratio'] = '0.1';
  }
  return { topic: spec.name, numPartitions: counts[spec.partitions], configEntries };
}

export interface ProvisionResult {
  created: string[];
  existing: string[];
}

export async function provisionTopics(admin: AdminPort, counts: PartitionCounts): Promise<ProvisionResult> {
  const existing = new Set(await admin.listTopics());
  const missing = TOPICS.filter((t) => !existing.has(t.name));
  await admin.createTopics(missing.map((t) => topicConfig(t, counts)));
  // Co-partitioning is a correctness property of the aggregator join, so check it on every run.
  const userTopics = TOPICS.filter((t) => t.partitions === 'user');
  for (const t of userTopics) {
    const n = await settledPartitionCount(admin, t.name);
    if (n !== counts.user) {
      throw new Error(`${t.name} has ${n} partitions but user-keyed topics must all have ${counts.user} to co-partition`);
    }
  }
  return { created: missing.map((t) => t.name), existing: TOPICS.filter((t) => existing.has(t.name)).map((t) => t.name) };
}

/**
 * Right after creation the broker may still answer "does not host this topic-partition" while the
 * new partitions' leadership propagates; that is transient, so the metadata read is retried briefly.
 */
async function settledPartitionCount(admin: AdminPort, topic: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.topicPartitions(topic);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function registerAllSchemas(codec: AvroCodec): Promise<void> {
  await codec.registerTopics(TOPICS.map((t) => t.name));
}
