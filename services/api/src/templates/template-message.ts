/**
 * The Dispatch a preview renders and a test send publishes: the message a channel worker would get
 * for the template, the sample (or a past event's) payload and the recipient's locale and time
 * zone. Preview and worker then render it with the same function (channelRenderer), so what the
 * preview shows is what the provider is handed.
 */
import { randomUUID } from 'node:crypto';
import { notificationId, recipientKey, type Channel, type Dispatch, type Severity } from '@notify/schemas';

export interface TemplateMessage {
  tenant: string;
  userId: string;
  channel: Channel;
  templateId: string;
  /** The event type; the template id when the request names none (a template named after its type). */
  type: string;
  severity: Severity;
  locale: string;
  timeZone: string | null;
  payload: unknown;
  address: string | null;
  /** A stored version to render (test send); null for the active one. */
  version: number | null;
  now: number;
}

export function templateDispatch(m: TemplateMessage): Dispatch {
  const recipient = recipientKey(m.tenant, m.userId);
  // A test send is a message of its own: a fresh event id, so its claim never collides with a real one.
  const eventId = `template-test:${randomUUID()}`;
  const id = notificationId(eventId, recipient, m.channel);
  return {
    notification_id: id,
    idempotency_key: id,
    event_id: eventId,
    tenant: m.tenant,
    recipient,
    user_id: m.userId,
    channel: m.channel,
    type: m.type,
    severity: m.severity,
    severity_label: m.severity,
    template: m.templateId,
    priority: 'high',
    locale: m.locale,
    address: m.address,
    payload: JSON.stringify(m.payload ?? {}),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: m.now,
    created_at: m.now,
    time_zone: m.timeZone,
    dedupe_key: null,
    template_version: m.version,
  };
}
