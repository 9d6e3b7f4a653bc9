/** What a worker's handler sees and returns. The handler never touches Kafka or Avro. */
import type { Headers } from '@notify/kafka';
import type { TopicName, ValueOf } from '@notify/schemas';
import type { Logger } from './logger';
import type { WorkerMetrics } from './metrics';

/** One output record, typed by its topic. A null value is a tombstone. */
export type Output = {
  [K in TopicName]: { topic: K; key: string | null; value: ValueOf<K> | null; headers?: Headers };
}[TopicName];

export interface InputRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Headers;
  timestamp: number;
}

export interface HandlerContext {
  log: Logger;
  metrics: WorkerMetrics;
}

export interface Handler<I extends TopicName> {
  handle(record: InputRecord<ValueOf<I>>, ctx: HandlerContext): Promise<Output[]> | Output[];
  /**
   * Optional: the whole decoded chunk at once, in offset order, for sinks that write a chunk in one
   * statement. Retryable errors retry the chunk; on any other error (or an undecodable record) the
   * runner falls back to handle() per record, so only the bad record is dead-lettered.
   */
  handleChunk?(records: InputRecord<ValueOf<I>>[], ctx: HandlerContext): Promise<Output[]>;
  /**
   * Optional: records whose value is null, the deletions of a compacted topic. They have nothing to
   * decode, so without this a tombstone is unreadable input for the dead-letter policy. A chunk holding
   * one is handled record by record (handleChunk only ever sees decoded values).
   */
  handleTombstone?(record: InputRecord<null>, ctx: HandlerContext): Promise<Output[]> | Output[];
}

/** A record the runner gives up on, handed to the worker's dead-letter policy. */
export interface RecordFailure {
  stage: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  raw: Buffer | null;
  /** The decoded value, when decoding succeeded. */
  decoded: unknown;
  code: string;
  reason: string;
  attempts: number;
}

export type DeadLetterPolicy = (failure: RecordFailure) => Output[];

/** Default policy: the record goes to notifications.dlq byte for byte, with why. */
export const toDeadLetterTopic: DeadLetterPolicy = (f) => [
  {
    topic: 'notifications.dlq',
    key: f.key,
    value: {
      notification_id: notificationIdOf(f.decoded),
      stage: f.stage,
      reason: f.reason,
      code: f.code,
      attempts: f.attempts,
      original_topic: f.topic,
      original_partition: f.partition,
      original_offset: f.offset,
      original_key: f.key,
      original: f.raw,
      failed_at: Date.now(),
    },
  },
];

function notificationIdOf(decoded: unknown): string | null {
  if (decoded && typeof decoded === 'object' && 'notification_id' in decoded) {
    const id = (decoded as { notification_id: unknown }).notification_id;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
