import { pushAddress } from './push-address';

describe('pushAddress', () => {
  it('lists browsers, then native apps, as one JSON array', () => {
    const browser = { endpoint: 'https://push.example/1', p256dh: 'k', auth: 'a' };
    const phone = { platform: 'android', token: 'fcm-1', app_id: 'com.example.app', locale: null };
    const tablet = { platform: 'ios', token: 'ab12', app_id: 'com.example.app', locale: 'fr' };
    expect(JSON.parse(pushAddress({ push_subscriptions: [browser], devices: [phone, tablet] }) ?? 'null')).toEqual([
      browser,
      phone,
      tablet,
    ]);
    expect(JSON.parse(pushAddress({ push_subscriptions: [], devices: [phone] }) ?? 'null')).toEqual([phone]);
  });

  it('is null for a recipient without devices', () => {
    expect(pushAddress({ push_subscriptions: [], devices: [] })).toBeNull();
  });
});
