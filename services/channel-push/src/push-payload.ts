/**
 * What the service worker receives: a small JSON document it turns into `showNotification(title,
 * {body, tag, data})`. The urgency header lets the push service wake a sleeping device only for
 * what matters. Bodies are cut so the encrypted record stays under the 4 KB push services accept.
 */
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch, Severity } from '@notify/schemas';

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

export const PUSH_URGENCY: Record<Severity, Urgency> = { critical: 'high', warning: 'normal', info: 'normal', success: 'low' };

const TITLE_MAX = 120;
const BODY_MAX = 1500;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface PushPayload {
  title: string;
  body: string;
  tag: string;
  data: { notification_id: string; event_id: string; type: string; severity: Severity };
}

export function pushPayload(dispatch: Dispatch, message: RenderedMessage): PushPayload {
  return {
    title: cut(message.title, TITLE_MAX),
    body: cut(message.body, BODY_MAX),
    tag: dispatch.notification_id,
    data: { notification_id: dispatch.notification_id, event_id: dispatch.event_id, type: dispatch.type, severity: dispatch.severity },
  };
}
