import { sampleDispatch } from '../../../tests/support/fakes/sample-dispatch';
import { apnsRequest } from './apns/apns-payload';
import { fcmMessage } from './fcm/fcm-message';
import { pushContent } from './push-payload';

const message = { title: 'Margin call', body: 'Deposit now', data: {} };

describe('push content', () => {
  it("links to the event's own deep_link, else to the app's base and the notification id, else to nothing", () => {
    const own = sampleDispatch('push', { payload: JSON.stringify({ deep_link: 'trading://accounts/7' }) });
    expect(pushContent(own, message, { ttlSeconds: 60, deepLinkBase: 'trading://n/' }).data.deep_link).toBe('trading://accounts/7');
    const plain = sampleDispatch('push');
    expect(pushContent(plain, message, { ttlSeconds: 60, deepLinkBase: 'trading://n/' }).data.deep_link).toBe(
      `trading://n/${plain.notification_id}`,
    );
    expect(pushContent(plain, message, { ttlSeconds: 60 }).data).not.toHaveProperty('deep_link');
  });

  it('collapses by the dedupe key, replaced by a digest when too long for APNs', () => {
    const d = sampleDispatch('push');
    expect(pushContent(d, message, { ttlSeconds: 60, dedupeKey: 'margin:ACC-7' }).collapseKey).toBe('margin:ACC-7');
    const long = pushContent(d, message, { ttlSeconds: 60, dedupeKey: 'k'.repeat(200) }).collapseKey ?? '';
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(64);
    expect(long).toBe(pushContent(d, message, { ttlSeconds: 60, dedupeKey: 'k'.repeat(200) }).collapseKey);
    expect(pushContent(d, message, { ttlSeconds: 60, dedupeKey: null }).collapseKey).toBeNull();
  });

  it('maps severity to FCM priority and APNs priority and interruption level', () => {
    const cases = [
      ['critical', 'HIGH', '10', 'time-sensitive'],
      ['warning', 'NORMAL', '10', 'active'],
      ['info', 'NORMAL', '5', 'active'],
      ['success', 'NORMAL', '5', 'passive'],
    ] as const;
    for (const [severity, fcmPriority, apnsPriority, level] of cases) {
      const content = pushContent(sampleDispatch('push', { severity }), message, { ttlSeconds: 60 });
      expect(fcmMessage('t', content, null).message.android.priority).toBe(fcmPriority);
      const req = apnsRequest('com.example.app', content, null, 0);
      expect([req.headers['apns-priority'], JSON.parse(req.payload).aps['interruption-level']]).toEqual([apnsPriority, level]);
    }
  });

  it('expires per the TTL, or asks APNs not to store at TTL 0; the badge and collapse id go where each platform reads them', () => {
    const content = pushContent(sampleDispatch('push'), message, { ttlSeconds: 600, dedupeKey: 'k1' });
    const req = apnsRequest('com.example.app', content, 3, 1_000_000);
    expect(req.headers).toMatchObject({
      'apns-expiration': String(1_000 + 600),
      'apns-collapse-id': 'k1',
      'apns-topic': 'com.example.app',
    });
    expect(JSON.parse(req.payload).aps.badge).toBe(3);
    expect(apnsRequest('a.b', { ...content, ttlSeconds: 0 }, null, 1_000_000).headers['apns-expiration']).toBe('0');
    const fcm = fcmMessage('t', content, 3).message;
    expect(fcm.android).toMatchObject({ ttl: '600s', collapse_key: 'k1', notification: { notification_count: 3, tag: 'k1' } });
    expect(Object.values(fcm.data).every((v) => typeof v === 'string')).toBe(true);
  });
});
