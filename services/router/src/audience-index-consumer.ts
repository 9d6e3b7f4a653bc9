/**
 * Keeps the audience index in step with the compacted notifications.recipients topic, in the router's
 * own consumer group. It is a sink (no output records), so it consumes through the Kafka port directly
 * rather than the runner: the runner decodes every value, and here tombstones (null values) matter:
 * they remove the recipient from every audience. Each fetched chunk is written in one transaction and
 * its offsets resolved only after the write, so a crash replays rather than loses; replays are harmless
 * because a recipient's memberships are replaced, never added to.
 */
import { errorMessage, isRetryable } from '@notify/errors';
import type { AvroCodec, BatchControl, ConsumedBatch, ConsumedRecord, ConsumerPort, KafkaPort } from '@notify/kafka';
import { backoffDelay, sleep, type Logger, type WorkerMetrics } from '@notify/runner';
import { splitRecipientKey } from '@notify/schemas';
import type { AudienceIndex, Membership } from './audience-index';

export interface AudienceIndexConsumerDeps {
  kafka: KafkaPort;
  codec: AvroCodec;
  index: Pick<AudienceIndex, 'replace'>;
  log: Logger;
  metrics: WorkerMetrics;
  groupId: string;
  chunkSize: number;
}

const TOPIC = 'notifications.recipients';
const RETRY = { initialMs: 200, maxMs: 30_000 };

export class AudienceIndexConsumer {
  private readonly consumer: ConsumerPort;
  private joined = false;
  private running = false;

  constructor(private readonly deps: AudienceIndexConsumerDeps) {
    this.consumer = deps.kafka.consumer({ groupId: deps.groupId, fromBeginning: true });
  }

  isReady(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe([TOPIC]);
    this.consumer.onAssignment((assignment) => {
      this.joined = true;
      this.deps.log.info({ assignment }, 'audience index partitions assigned');
    });
    await this.consumer.run((batch, control) => this.onBatch(batch, control));
    this.running = true;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
  }

  private async onBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    for (let start = 0; start < batch.records.length; start += this.deps.chunkSize) {
      if (!control.shouldContinue()) return;
      const chunk = batch.records.slice(start, start + this.deps.chunkSize);
      if (!(await this.indexWithRetry(chunk, control))) return;
      this.deps.metrics.consumed.inc({ topic: TOPIC }, chunk.length);
      control.resolve((chunk[chunk.length - 1] as ConsumedRecord).offset);
      await control.commit();
      await control.heartbeat();
    }
  }

  /** False when the partition was lost or the consumer is stopping before the chunk was indexed. */
  private async indexWithRetry(chunk: readonly ConsumedRecord[], control: BatchControl): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const memberships: Membership[] = [];
        for (const record of chunk) {
          const membership = await this.decode(record);
          if (membership) memberships.push(membership);
        }
        await this.deps.index.replace(memberships);
        return true;
      } catch (error) {
        // Only transient failures get here (registry or database unavailable): unreadable records are skipped in decode().
        this.deps.metrics.failures.inc({ code: 'audience_index_unavailable', outcome: 'retried' });
        this.deps.log.warn({ attempt, reason: errorMessage(error) }, 'audience index update failed, retrying');
        if (!control.shouldContinue()) return false;
        await sleep(backoffDelay(RETRY, attempt));
        if (!control.shouldContinue()) return false;
        await control.heartbeat();
      }
    }
  }

  /** A record that cannot be read is skipped with a warning: it will not change, and the topic is other services' input too. */
  private async decode(record: ConsumedRecord): Promise<Membership | null> {
    if (record.value === null) {
      const key = record.key ? parseRecipientKey(record.key) : null;
      // An empty user id is never indexed (see AudienceIndex.members), so there is nothing to delete.
      if (!key) this.skip(record, 'tombstone without a <tenant>/<user_id> key');
      return key ? { ...key, audiences: [] } : null;
    }
    try {
      const recipient = await this.deps.codec.decode(TOPIC, record.value);
      if (recipient.user_id === '') {
        this.skip(record, 'empty user_id');
        return null;
      }
      return { tenant: recipient.tenant, userId: recipient.user_id, audiences: recipient.audiences };
    } catch (error) {
      if (isRetryable(error)) throw error;
      this.skip(record, errorMessage(error));
      return null;
    }
  }

  private skip(record: ConsumedRecord, reason: string): void {
    this.deps.metrics.failures.inc({ code: 'unreadable_recipient', outcome: 'skipped' });
    this.deps.log.warn(
      { topic: TOPIC, partition: record.partition, offset: record.offset, key: record.key, reason },
      'recipient record skipped by the audience index',
    );
  }
}

function parseRecipientKey(key: string): { tenant: string; userId: string } | null {
  try {
    return splitRecipientKey(key);
  } catch {
    return null;
  }
}
