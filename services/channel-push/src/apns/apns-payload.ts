/**
 * The APNs request for one iOS device: the JSON payload (an alert with title and body, the unread
 * count as badge, the interruption level, and the app's data beside `aps`) and the headers APNs reads
 * (apns-topic = the bundle id, apns-push-type, apns-priority, apns-expiration, apns-collapse-id).
 * Critical alerts are `time-sensitive` (they break through Focus) at priority 10; routine ones are
 * `active`, successes `passive` at priority 5. The body is cut so the payload stays within APNs' 4 KB.
 */
import type { Severity } from '@notify/schemas';
import { fitBody } from '../payload-fit';
import type { PushContent } from '../push-payload';

export const APNS_PAYLOAD_LIMIT = 4096;

const INTERRUPTION: Record<Severity, 'time-sensitive' | 'active' | 'passive'> = {
  critical: 'time-sensitive',
  warning: 'active',
  info: 'active',
  success: 'passive',
};
const PRIORITY: Record<Severity, '10' | '5'> = { critical: '10', warning: '10', info: '5', success: '5' };

export interface ApnsRequest {
  headers: Record<string, string>;
  payload: string;
}

export function apnsRequest(topic: string, content: PushContent, badge: number | null, now: number): ApnsRequest {
  const build = (body: string) => ({
    aps: {
      alert: { title: content.title, body },
      ...(badge !== null ? { badge } : {}),
      sound: 'default',
      'interruption-level': INTERRUPTION[content.severity],
      ...(content.collapseKey ? { 'thread-id': content.collapseKey } : {}),
    },
    ...content.data,
  });
  const payload = JSON.stringify(
    build(fitBody(content.body, APNS_PAYLOAD_LIMIT, (body) => Buffer.byteLength(JSON.stringify(build(body))))),
  );
  return {
    payload,
    headers: {
      'apns-topic': topic,
      'apns-push-type': 'alert',
      'apns-priority': PRIORITY[content.severity],
      // 0 asks APNs to try once and not store the notification.
      'apns-expiration': content.ttlSeconds === 0 ? '0' : String(Math.floor(now / 1000) + content.ttlSeconds),
      ...(content.collapseKey ? { 'apns-collapse-id': content.collapseKey } : {}),
    },
  };
}
