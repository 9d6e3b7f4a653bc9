/** Builds the Dispatch record for one channel of an intent. */
import { dispatchTopic, type Channel, type Dispatch, type Intent } from '@notify/schemas';

export function dispatchFor(intent: Intent, channel: Channel, notificationId: string, now: number, address: string | null = null, locale = 'en'): Dispatch {
  return {
    notification_id: notificationId,
    // One delivery per notification, whatever the number of redeliveries or retries.
    idempotency_key: notificationId,
    event_id: intent.event_id,
    tenant: intent.tenant,
    recipient: intent.recipient,
    user_id: intent.user_id,
    channel,
    type: intent.type,
    severity: intent.severity,
    severity_label: intent.severity_label,
    template: intent.template,
    priority: intent.priority,
    locale,
    address,
    payload: intent.payload,
    digest: null,
    attempt: 0,
    not_before: 0,
    occurred_at: intent.occurred_at,
    created_at: now,
  };
}

export { dispatchTopic };
