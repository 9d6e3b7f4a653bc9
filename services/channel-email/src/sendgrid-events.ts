/**
 * SendGrid's event webhook. Each POST is verified per SendGrid's signed event webhook: an ECDSA
 * (P-256, SHA-256) signature, base64 in X-Twilio-Email-Event-Webhook-Signature, over the
 * X-Twilio-Email-Event-Webhook-Timestamp value followed by the raw body, checked with the public key
 * from the account's mail settings. `delivered` closes a notification as delivered; `bounce` and
 * `dropped` as failed (unless an earlier event or the feedback timeout closed it); unsubscribes and
 * spam reports also opt the address out of email.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { FeedbackRoute, FinalStatus, MessageCloser, OptOutStore } from '@notify/channel';

export interface SendGridEventDeps {
  publicKey: KeyObject;
  /** Closes the notification (publishing and counting it) unless an event or the timeout closed it before. */
  closer: Pick<MessageCloser, 'report'>;
  optOuts: OptOutStore;
  /** Oldest accepted timestamp, against replays (default 10 minutes). */
  maxAgeMs?: number;
  now?: () => number;
}

const FINAL: Record<string, FinalStatus> = { delivered: 'delivered', bounce: 'failed', dropped: 'failed' };
const OPT_OUT_EVENTS = new Set(['unsubscribe', 'group_unsubscribe', 'spamreport']);

/** Accepts the key as SendGrid shows it (base64 DER) or as PEM. */
export function sendGridPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

export function verifySendGridSignature(publicKey: KeyObject, timestamp: string, body: string, signature: string): boolean {
  try {
    return verify('sha256', Buffer.from(timestamp + body, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

interface SendGridEvent {
  event?: unknown;
  email?: unknown;
  notification_id?: unknown;
  reason?: unknown;
  type?: unknown;
}

export function sendGridEventsRoute(deps: SendGridEventDeps): FeedbackRoute {
  const now = deps.now ?? Date.now;
  const maxAgeMs = deps.maxAgeMs ?? 600_000;
  return async (request) => {
    const signature = request.headers['x-twilio-email-event-webhook-signature'];
    const timestamp = request.headers['x-twilio-email-event-webhook-timestamp'];
    if (
      typeof signature !== 'string' ||
      typeof timestamp !== 'string' ||
      !verifySendGridSignature(deps.publicKey, timestamp, request.body, signature)
    ) {
      return { status: 403, contentType: 'text/plain', body: 'invalid signature' };
    }
    if (!/^\d+$/.test(timestamp) || Math.abs(now() - Number(timestamp) * 1000) > maxAgeMs)
      return { status: 403, contentType: 'text/plain', body: 'stale timestamp' };
    let events: unknown;
    try {
      events = JSON.parse(request.body);
    } catch {
      return { status: 400, contentType: 'text/plain', body: 'not JSON' };
    }
    if (!Array.isArray(events)) return { status: 400, contentType: 'text/plain', body: 'expected an array of events' };
    for (const raw of events as SendGridEvent[]) {
      const event = typeof raw?.event === 'string' ? raw.event : '';
      if (OPT_OUT_EVENTS.has(event) && typeof raw.email === 'string') await deps.optOuts.add('email', raw.email, `sendgrid:${event}`);
      const final = Object.hasOwn(FINAL, event) ? FINAL[event] : undefined;
      if (!final || typeof raw.notification_id !== 'string') continue;
      const reason = final === 'failed' ? `sendgrid_${event}` : null;
      const detail = typeof raw.reason === 'string' ? raw.reason.slice(0, 500) : `sendgrid reported ${event}`;
      await deps.closer.report(raw.notification_id, final, reason, detail);
    }
    return { status: 204 };
  };
}
