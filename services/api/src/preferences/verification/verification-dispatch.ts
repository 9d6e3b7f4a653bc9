/**
 * The SMS that carries a one-time code, handed straight to the SMS channel: it is not an event, so it
 * skips routing, preferences and quiet hours (an unverified number gets nothing else, and a code the
 * user is waiting for must not be deferred to the morning). The code travels sealed (`code_sealed`,
 * bound to the recipient): only the SMS worker holds the key, so the code cannot be read on the topic,
 * in the dead-letter queue, in a replay or in the outbox.
 */
import { notificationId, recipientKey, type Dispatch, type Sealer } from '@notify/schemas';

export const VERIFICATION_TYPE = 'PHONE_VERIFICATION';
export const VERIFICATION_TEMPLATE = 'phone_verification';

export interface VerificationMessage {
  verificationId: string;
  tenant: string;
  userId: string;
  /** The number to text, sealed with the user's own data key (PersonalKeys): only channel-sms opens it. */
  phone: string;
  locale: string;
  code: string;
  expiresInMinutes: number;
  now: number;
}

/** The event id names the verification, so a redelivered dispatch claims the same idempotency key. */
export function verificationEventId(verificationId: string): string {
  return `phone-verification:${verificationId}`;
}

export function verificationDispatch(m: VerificationMessage, sealer: Sealer): Dispatch {
  const recipient = recipientKey(m.tenant, m.userId);
  const eventId = verificationEventId(m.verificationId);
  const id = notificationId(eventId, recipient, 'sms');
  return {
    notification_id: id,
    idempotency_key: id,
    event_id: eventId,
    tenant: m.tenant,
    recipient,
    user_id: m.userId,
    channel: 'sms',
    type: VERIFICATION_TYPE,
    severity: 'info',
    severity_label: 'info',
    template: VERIFICATION_TEMPLATE,
    priority: 'high',
    locale: m.locale,
    address: m.phone,
    payload: JSON.stringify({ code_sealed: sealer.seal(m.code, recipient), expires_in_minutes: m.expiresInMinutes }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: m.now,
    created_at: m.now,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
  };
}
