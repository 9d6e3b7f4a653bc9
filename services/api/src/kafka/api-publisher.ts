/**
 * Everything the API writes to Kafka: a user's read/acknowledge (an Ack keyed by recipient, which stops
 * escalation, and the matching DeliveryStatus), erasure tombstones on the compacted per-user topics,
 * and replays of dead letters (a channel's Dispatch re-run on its dispatch topic, anything else byte
 * for byte). Each call resolves once Kafka acknowledged every record.
 */
import type { AvroCodec, OutgoingRecord, ProducerPort } from '@notify/kafka';
import { CHANNELS, deliveryStatus, dispatchTopic, recipientKey, type Dispatch, type DispatchTopic, type TopicName } from '@notify/schemas';
import { apiWriterHeaders } from './writer-header';

export const API_STAGE = 'api';
export const API_TOPIC_WRITES: readonly TopicName[] = [
  'notifications.acks',
  'notifications.delivery-status',
  ...CHANNELS.map(dispatchTopic),
];
/** Compacted topics keyed by recipient that hold personal data and are tombstoned on erasure. */
export const ERASED_TOPICS = ['notifications.preferences', 'notifications.recipients'] as const;
export const REPLAY_HEADER = 'x-notify-replay-of';

export interface UserAction {
  tenant: string;
  userId: string;
  notificationId: string;
  eventId: string;
  type: string;
  action: 'read' | 'acknowledged';
  /** When the notification was created; stands in for the event time the inbox does not keep. */
  occurredAt: number;
  at: number;
}

export interface Replay {
  entryId: string;
  topic: string;
  key: string | null;
  value: Buffer;
  operator: string;
}

export interface DispatchReplay {
  entryId: string;
  topic: DispatchTopic;
  dispatch: Dispatch;
  operator: string;
}

export class ApiPublisher {
  constructor(
    private readonly producer: ProducerPort,
    private readonly codec: AvroCodec,
  ) {}

  userActionRecords(a: UserAction): OutgoingRecord[] {
    const recipient = recipientKey(a.tenant, a.userId);
    return [
      {
        topic: 'notifications.acks',
        key: recipient,
        value: this.codec.encode('notifications.acks', {
          tenant: a.tenant,
          user_id: a.userId,
          notification_id: a.notificationId,
          event_id: a.eventId,
          action: a.action,
          at: a.at,
        }),
      },
      {
        topic: 'notifications.delivery-status',
        key: a.notificationId,
        value: this.codec.encode(
          'notifications.delivery-status',
          deliveryStatus({
            notification_id: a.notificationId,
            event_id: a.eventId,
            tenant: a.tenant,
            recipient,
            channel: 'inapp',
            type: a.type,
            status: a.action,
            stage: API_STAGE,
            occurred_at: a.occurredAt,
            at: a.at,
          }),
        ),
      },
    ];
  }

  async userAction(a: UserAction): Promise<void> {
    await this.producer.send(this.userActionRecords(a));
  }

  async tombstoneUser(tenant: string, userId: string): Promise<string[]> {
    const key = recipientKey(tenant, userId);
    await this.producer.send(ERASED_TOPICS.map((topic) => ({ topic, key, value: null, headers: { ...apiWriterHeaders } })));
    return [...ERASED_TOPICS];
  }

  async replay(r: Replay): Promise<void> {
    await this.producer.send([{ topic: r.topic, key: r.key, value: r.value, headers: replayHeaders(r) }]);
  }

  /** Keyed by recipient, as the aggregator keys dispatches, so it lands on the partition of the person's other messages. */
  async replayDispatch(r: DispatchReplay): Promise<void> {
    await this.producer.send([
      { topic: r.topic, key: r.dispatch.recipient, value: this.codec.encode(r.topic, r.dispatch), headers: replayHeaders(r) },
    ]);
  }
}

function replayHeaders(r: { entryId: string; operator: string }): Record<string, string> {
  return { [REPLAY_HEADER]: r.entryId, 'x-notify-replayed-by': r.operator };
}
