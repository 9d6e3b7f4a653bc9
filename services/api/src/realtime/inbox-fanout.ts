/**
 * Reads notifications.inbox in a consumer group of this replica alone, starting at the end (clients
 * that were away catch up from Postgres by cursor), and hands every item to the local hub. The group
 * is deleted on stop so replicas that come and go leave no offsets behind.
 */
import type { AvroCodec, ConsumerPort, KafkaPort } from '@notify/kafka';
import { inConsumerSpan, processTracer, type Logger } from '@notify/runner';
import { viewOfInboxItem } from '../inbox/inbox-view';
import type { RealtimeMetrics } from './realtime-metrics';
import type { SocketHub } from './socket-hub';

export interface InboxFanoutDeps {
  kafka: KafkaPort;
  codec: AvroCodec;
  hub: SocketHub;
  log: Logger;
  metrics: RealtimeMetrics;
  groupId: string;
  now?: () => number;
}

export class InboxFanout {
  private readonly consumer: ConsumerPort;
  private joined = false;
  private running = false;

  constructor(private readonly deps: InboxFanoutDeps) {
    this.consumer = deps.kafka.consumer({
      groupId: deps.groupId,
      fromBeginning: false,
      partitionsConcurrently: 6,
      maxWaitMs: 100,
      sessionTimeoutMs: 10_000,
    });
  }

  isReady(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    const now = this.deps.now ?? Date.now;
    await this.consumer.connect();
    await this.consumer.subscribe(['notifications.inbox']);
    this.consumer.onAssignment(() => {
      this.joined = true;
    });
    const tracer = processTracer('api');
    await this.consumer.run(async (batch, control) => {
      for (const record of batch.records) {
        try {
          // The last hop of an in-app notification's trace: from the in-app worker to the sockets.
          await inConsumerSpan(tracer, 'api-ws', { ...record, topic: batch.topic, partition: batch.partition }, async () => {
            const item = await this.deps.codec.decode('notifications.inbox', record.value);
            const sessions = this.deps.hub.publish(item.tenant, item.user_id, viewOfInboxItem(item));
            if (sessions > 0) this.deps.metrics.pushLatency.observe(Math.max(0, now() - item.created_at) / 1000);
          });
        } catch (error) {
          // A record we cannot read reaches nobody live; clients still get it by cursor from Postgres.
          this.deps.log.warn({ err: error, partition: batch.partition, offset: record.offset }, 'skipping unreadable inbox item');
        }
        control.resolve(record.offset);
      }
    });
    this.running = true;
    this.deps.log.info({ group: this.deps.groupId }, 'inbox fan-out started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.consumer.disconnect();
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([this.deps.groupId]);
    } catch (error) {
      this.deps.log.warn({ err: error, group: this.deps.groupId }, 'could not delete the fan-out consumer group');
    } finally {
      await admin.disconnect();
    }
  }
}
