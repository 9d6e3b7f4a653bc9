/** Builds the Dispatch record for one channel of an intent. */
import { dispatchTopic, type Channel, type Dispatch, type Intent, type Recipient } from '@notify/schemas';

/** What a dispatch says about its recipient: where it goes, and the language and time zone it is written for. */
export interface DispatchRecipient {
  address: string | null;
  locale: string;
  /** IANA zone for dates in the message; null renders them in UTC. */
  timeZone: string | null;
}

export function dispatchRecipient(recipient: Recipient | null, address: string | null): DispatchRecipient {
  return { address, locale: recipient?.locale ?? 'en', timeZone: recipient?.timezone ?? null };
}

export function dispatchFor(intent: Intent, channel: Channel, notificationId: string, now: number, to: DispatchRecipient): Dispatch {
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
    locale: to.locale,
    address: to.address,
    payload: intent.payload,
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: intent.occurred_at,
    created_at: now,
    time_zone: to.timeZone,
    dedupe_key: intent.dedupe_key,
    template_version: null,
  };
}

export { dispatchTopic };
