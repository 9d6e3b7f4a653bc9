/**
 * What every push platform carries, decided once per dispatch: title, body, the data the app acts on
 * (notification id, deep link), how long the push service keeps it, how urgently it wakes the device,
 * and the collapse key that lets a newer alert replace an older one of the same dedupe key. Each
 * platform's own payload (web-payload.ts, fcm/fcm-message.ts, apns/apns-payload.ts) is built from this.
 */
import { createHash } from 'node:crypto';
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch, Severity } from '@notify/schemas';
import { cutText } from './payload-fit';

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

export const PUSH_URGENCY: Record<Severity, Urgency> = { critical: 'high', warning: 'normal', info: 'normal', success: 'low' };

const TITLE_MAX = 120;
const DEEP_LINK_MAX = 1024;
/** APNs refuses a longer apns-collapse-id; FCM's collapse key has the same practical bound. */
const COLLAPSE_KEY_MAX_BYTES = 64;

export interface PushData {
  notification_id: string;
  event_id: string;
  type: string;
  severity: Severity;
  deep_link?: string;
}

export interface PushContent {
  title: string;
  body: string;
  data: PushData;
  severity: Severity;
  /** A newer notification with the same key replaces an undelivered or displayed older one; null: none. */
  collapseKey: string | null;
  ttlSeconds: number;
}

export interface ContentOptions {
  ttlSeconds: number;
  /** `<base><notification id>` is the deep link when the event names none (per app settings). */
  deepLinkBase?: string | undefined;
  /** The dedupe key of the event, when the dispatch carries one. */
  dedupeKey?: string | null;
}

export function pushContent(dispatch: Dispatch, message: RenderedMessage, options: ContentOptions): PushContent {
  const deepLink = deepLinkOf(dispatch, options.deepLinkBase);
  return {
    title: cutText(message.title, TITLE_MAX),
    body: message.body,
    data: {
      notification_id: dispatch.notification_id,
      event_id: dispatch.event_id,
      type: dispatch.type,
      severity: dispatch.severity,
      ...(deepLink ? { deep_link: deepLink } : {}),
    },
    severity: dispatch.severity,
    collapseKey: options.dedupeKey ? collapseKeyOf(options.dedupeKey) : null,
    ttlSeconds: options.ttlSeconds,
  };
}

/** The event's own `deep_link` (a string in its payload) wins; else the app's base and the notification id. */
function deepLinkOf(dispatch: Dispatch, base: string | undefined): string | undefined {
  let own: unknown;
  try {
    own = (JSON.parse(dispatch.payload) as { deep_link?: unknown } | null)?.deep_link;
  } catch {
    own = undefined;
  }
  if (typeof own === 'string' && own.length > 0 && own.length <= DEEP_LINK_MAX) return own;
  return base ? `${base}${encodeURIComponent(dispatch.notification_id)}` : undefined;
}

/** Dedupe keys are the producer's; one too long for the platforms is replaced by its digest. */
function collapseKeyOf(dedupeKey: string): string {
  if (Buffer.byteLength(dedupeKey) <= COLLAPSE_KEY_MAX_BYTES) return dedupeKey;
  return `dk-${createHash('sha256').update(dedupeKey).digest('base64url')}`;
}

/** The content of a send, for the senders: the dispatch's own dedupe key, the worker's TTL, the app's deep link base. */
export function contentFor(ttlSeconds: number) {
  return (input: { dispatch: Dispatch; message: RenderedMessage }, deepLinkBase?: string): PushContent =>
    pushContent(input.dispatch, input.message, { ttlSeconds, deepLinkBase, dedupeKey: input.dispatch.dedupe_key });
}
