/** Sending one channel of an intent now, and how long an intent's batching window is. */
import type { Channel, Intent, Recipient } from '@notify/schemas';
import type { Output } from '@notify/runner';
import { dispatchFor, dispatchRecipient, dispatchTopic } from './dispatch';
import { contactPoint } from './preferences';
import type { AggregatorSettings } from './settings';
import { intentStatus } from './statuses';

export function batchingWindowMs(intent: Intent, settings: AggregatorSettings): number {
  const windowMs = intent.batching?.window_ms ?? 0;
  return windowMs > 0 ? Math.max(1, Math.round(windowMs * settings.batchWindowScale)) : 0;
}

/** A dispatch on the channel's topic and its `queued` status (or `escalated` for escalation steps). */
export function sendNow(
  intent: Intent,
  c: { channel: Channel; id: string },
  recipient: Recipient | null,
  now: number,
  escalation?: string,
): Output[] {
  const contact = contactPoint(c.channel, recipient, intent.user_id);
  const address = contact.reachable ? contact.address : null;
  return [
    {
      topic: dispatchTopic(c.channel),
      key: intent.recipient,
      value: dispatchFor(intent, c.channel, c.id, now, dispatchRecipient(recipient, address)),
    },
    intentStatus(
      intent,
      { notificationId: c.id, channel: c.channel, status: escalation ? 'escalated' : 'queued', detail: escalation ?? null },
      now,
    ),
  ];
}
