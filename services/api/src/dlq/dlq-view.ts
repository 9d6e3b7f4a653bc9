/** JSON of a dead letter: without the original bytes in lists, with them (base64 and decoded) in detail. */
import type { DlqEntry } from './dlq-store';

/** The entry with times as ISO strings and the original bytes as their size. */
export type DlqSummary = Omit<DlqEntry, 'original' | 'failed_at' | 'received_at' | 'replayed_at'> & {
  original_size: number | null;
  failed_at: string;
  received_at: string;
  replayed_at: string | null;
};

export function summaryOf(e: DlqEntry): DlqSummary {
  return {
    id: e.id,
    tenant: e.tenant,
    notification_id: e.notification_id,
    stage: e.stage,
    code: e.code,
    reason: e.reason,
    attempts: e.attempts,
    original_topic: e.original_topic,
    original_partition: e.original_partition,
    original_offset: e.original_offset,
    original_key: e.original_key,
    original_size: e.original ? e.original.length : null,
    failed_at: e.failed_at.toISOString(),
    received_at: e.received_at.toISOString(),
    replay_count: e.replay_count,
    replayed_at: e.replayed_at ? e.replayed_at.toISOString() : null,
    replayed_by: e.replayed_by,
  };
}

/** Avro longs of timestamp-millis come back as numbers; bytes as Buffers. Both must survive JSON. */
export function jsonSafe(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}
