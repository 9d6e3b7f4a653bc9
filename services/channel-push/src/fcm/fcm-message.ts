/**
 * The FCM HTTP v1 `messages:send` body for one Android token: a notification (title, body) the
 * system shows, data the app reads (every value a string, as FCM requires), and Android options: HIGH
 * priority for critical alerts (so a dozing phone wakes), the TTL, the collapse key, and the unread
 * count for launchers that show one. The body is cut so notification and data stay within FCM's 4 KB.
 */
import { fitBody } from '../payload-fit';
import type { PushContent } from '../push-payload';

export const FCM_PAYLOAD_LIMIT = 4096;

export interface FcmMessage {
  message: {
    token: string;
    notification: { title: string; body: string };
    data: Record<string, string>;
    android: {
      priority: 'HIGH' | 'NORMAL';
      ttl: string;
      collapse_key?: string;
      notification: { tag?: string; notification_count?: number };
    };
  };
}

export function fcmMessage(token: string, content: PushContent, badge: number | null): FcmMessage {
  const data = Object.fromEntries(
    Object.entries(content.data)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  const build = (body: string): FcmMessage => ({
    message: {
      token,
      notification: { title: content.title, body },
      data,
      android: {
        priority: content.severity === 'critical' ? 'HIGH' : 'NORMAL',
        ttl: `${content.ttlSeconds}s`,
        ...(content.collapseKey ? { collapse_key: content.collapseKey } : {}),
        notification: {
          ...(content.collapseKey ? { tag: content.collapseKey } : {}),
          ...(badge !== null ? { notification_count: badge } : {}),
        },
      },
    },
  });
  // What FCM counts against its limit: the notification and the data.
  const size = (body: string) => {
    const { notification, data: d, android } = build(body).message;
    return Buffer.byteLength(JSON.stringify({ notification, data: d, android: android.notification }));
  };
  return build(fitBody(content.body, FCM_PAYLOAD_LIMIT, size));
}
