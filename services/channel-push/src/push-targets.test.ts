import { PermanentError } from '@notify/errors';
import { describeTarget, parsePushTargets, targetKey } from './push-targets';

describe('parsePushTargets', () => {
  it('reads the browser shape, the flat Recipient shape and arrays of either, without duplicates', () => {
    const browser = { endpoint: 'https://push.example/a', keys: { p256dh: 'P', auth: 'A' } };
    const flat = { endpoint: 'https://push.example/b', p256dh: 'P2', auth: 'A2' };
    expect(parsePushTargets(JSON.stringify(browser))).toEqual([
      { platform: 'web', endpoint: 'https://push.example/a', p256dh: 'P', auth: 'A' },
    ]);
    expect(parsePushTargets(JSON.stringify([browser, flat, browser]))).toHaveLength(2);
  });

  it('reads native apps beside browsers and skips platforms it does not know', () => {
    const targets = parsePushTargets(
      JSON.stringify([
        { endpoint: 'https://push.example/a', p256dh: 'P', auth: 'A' },
        { platform: 'android', token: 'fcm-1', app_id: 'com.example.app', locale: null },
        { platform: 'ios', token: 'ab12', app_id: 'com.example.app', locale: 'fr' },
        { platform: 'android', token: 'fcm-1', app_id: 'com.example.app', locale: 'de' },
        { platform: 'huawei', token: 'h-1', app_id: 'com.example.app' },
      ]),
    );
    expect(targets).toEqual([
      { platform: 'web', endpoint: 'https://push.example/a', p256dh: 'P', auth: 'A' },
      { platform: 'android', token: 'fcm-1', app_id: 'com.example.app', locale: 'de' },
      { platform: 'ios', token: 'ab12', app_id: 'com.example.app', locale: 'fr' },
    ]);
    expect(targets.map(targetKey)).toEqual(['https://push.example/a', 'android:com.example.app:fcm-1', 'ios:com.example.app:ab12']);
  });

  it('fails permanently without an address or with nothing usable in it', () => {
    expect(() => parsePushTargets(null)).toThrow(expect.objectContaining({ code: 'no_address' }));
    expect(() => parsePushTargets('nope')).toThrow(PermanentError);
    expect(() => parsePushTargets('[]')).toThrow(expect.objectContaining({ code: 'invalid_address' }));
    expect(() => parsePushTargets(JSON.stringify({ endpoint: 'https://x' }))).toThrow(expect.objectContaining({ code: 'invalid_address' }));
    expect(() => parsePushTargets(JSON.stringify([{ platform: 'ios', token: '', app_id: 'a.b' }]))).toThrow(
      expect.objectContaining({ code: 'invalid_address' }),
    );
  });

  it('names a target by platform, app or host and the end of its token only', () => {
    expect(describeTarget({ platform: 'android', token: 'x'.repeat(100) + 'ENDS1234', app_id: 'com.example.app', locale: null })).toBe(
      'android com.example.app …ENDS1234',
    );
    expect(describeTarget({ platform: 'web', endpoint: 'https://fcm.googleapis.com/wp/abcdef123456', p256dh: 'P', auth: 'A' })).toBe(
      'web fcm.googleapis.com …ef123456',
    );
  });
});
