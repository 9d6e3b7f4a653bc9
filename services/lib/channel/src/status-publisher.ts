/** Publishes delivery statuses that do not come from a consumed record (provider feedback). */
import type { AvroCodec, KafkaPort, ProducerPort } from '@notify/kafka';
import { deliveryStatus, type DeliveryStatus } from '@notify/schemas';
import { withMemberStatuses } from './digest-members';
import type { FinalStatus, LoggedMessage } from './message-log';

export class StatusPublisher {
  private readonly producer: ProducerPort;

  constructor(
    kafka: KafkaPort,
    private readonly codec: AvroCodec,
  ) {
    this.producer = kafka.producer();
  }

  async start(): Promise<void> {
    await this.codec.registerTopics(['notifications.delivery-status']);
    await this.producer.connect();
  }

  /** Publishes the statuses in one produce request. */
  async publish(...statuses: DeliveryStatus[]): Promise<void> {
    await this.producer.send(
      statuses.map((status) => ({
        topic: 'notifications.delivery-status',
        key: status.notification_id,
        value: this.codec.encode('notifications.delivery-status', status),
      })),
    );
  }

  stop(): Promise<void> {
    return this.producer.disconnect();
  }
}

/**
 * The terminal statuses a provider's report closes a logged message with: the message's own and,
 * for a digest, the same for each member notification.
 */
export function feedbackStatuses(
  message: LoggedMessage,
  status: FinalStatus,
  reason: string | null,
  detail: string | null,
  at: number = Date.now(),
): DeliveryStatus[] {
  return withMemberStatuses(feedbackStatus(message, status, reason, detail, at), message.digest_members);
}

/** The terminal status a provider's report closes a logged message with. */
export function feedbackStatus(
  message: LoggedMessage,
  status: FinalStatus,
  reason: string | null,
  detail: string | null,
  at: number = Date.now(),
): DeliveryStatus {
  return deliveryStatus({ ...messageFields(message), status, reason, detail, at });
}

/**
 * The terminal statuses of a message whose report never came within the feedback timeout: `sent`,
 * reason `no_feedback`, with `terminal` set. `sent` stays the status (a new enum symbol would break
 * older readers of the topic); the flag is what closes the notification.
 */
export function noFeedbackStatuses(message: LoggedMessage, detail: string, at: number = Date.now()): DeliveryStatus[] {
  const status = { ...deliveryStatus({ ...messageFields(message), status: 'sent', reason: 'no_feedback', detail, at }), terminal: true };
  return withMemberStatuses(status, message.digest_members);
}

function messageFields(message: LoggedMessage) {
  return {
    notification_id: message.notification_id,
    event_id: message.event_id,
    tenant: message.tenant,
    recipient: message.recipient,
    channel: message.channel,
    type: message.type,
    stage: `channel-${message.channel}`,
    provider: message.provider,
    attempt: message.attempt,
    replay: message.replay,
    occurred_at: message.occurred_at,
  };
}
