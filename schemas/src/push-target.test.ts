import { isPushPlatform, pushTargetKey } from './push-target';

describe('pushTargetKey', () => {
  it('keeps a browser endpoint as it is and names a native device by platform, app and token', () => {
    expect(pushTargetKey({ platform: 'web', app_id: '', token: 'https://push.example/a' })).toBe('https://push.example/a');
    expect(pushTargetKey({ platform: 'android', app_id: 'com.example.trading', token: 'fcm-token' })).toBe(
      'android:com.example.trading:fcm-token',
    );
    expect(pushTargetKey({ platform: 'ios', app_id: 'com.example.trading', token: 'ab12' })).toBe('ios:com.example.trading:ab12');
  });

  it('knows the three platforms and nothing else', () => {
    expect(['ios', 'android', 'web', 'huawei', 1].map(isPushPlatform)).toEqual([true, true, true, false, false]);
  });
});
