/** Delivery statuses the aggregator reports, all built the same way. */
import { deliveryStatus, type Intent, type Status, type SuppressionReason } from '@notify/schemas';
import type { Output } from '@notify/runner';

export const STAGE = 'aggregator';

export interface StatusOf {
  notificationId: string;
  channel: string;
  status: Status;
  reason?: SuppressionReason | 'quiet_hours_deferred' | 'rate_limited' | null;
  detail?: string | null;
}

export function intentStatus(intent: Intent, s: StatusOf, at: number): Output {
  return {
    topic: 'notifications.delivery-status',
    key: s.notificationId,
    value: deliveryStatus({
      notification_id: s.notificationId,
      event_id: intent.event_id,
      tenant: intent.tenant,
      recipient: intent.recipient,
      channel: s.channel,
      type: intent.type,
      stage: STAGE,
      occurred_at: intent.occurred_at,
      at,
      status: s.status,
      reason: s.reason ?? null,
      detail: s.detail ?? null,
    }),
  };
}
