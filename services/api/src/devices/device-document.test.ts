import type { DeviceRow } from './device-rows';
import { registrationsOf, withDevices } from './device-document';
import { defaultContacts } from '../preferences/contacts-document';

const row = (over: Partial<DeviceRow>): DeviceRow => ({
  device_id: 'dev_1',
  tenant: 't',
  user_id: 'u',
  platform: 'android',
  app_id: 'com.example.app',
  token: 'tok',
  token_index: null,
  subscription: null,
  locale: null,
  created_at: new Date(0),
  last_seen_at: new Date(0),
  ...over,
});

describe('device rows in a contacts document', () => {
  it('shows browsers as push_subscriptions and native apps as devices, replacing what the document held', () => {
    const document = withDevices({ ...defaultContacts(), push_subscriptions: [{ endpoint: 'https://stale', p256dh: 'p', auth: 'a' }] }, [
      row({ platform: 'web', app_id: '', token: 'https://push.example/1', subscription: { p256dh: 'P', auth: 'A' } }),
      row({ platform: 'ios', token: 'ab', locale: 'fr' }),
      row({ platform: 'android', token: 'cd' }),
    ]);
    expect(document.push_subscriptions).toEqual([{ endpoint: 'https://push.example/1', p256dh: 'P', auth: 'A' }]);
    expect(document.devices).toEqual([
      { platform: 'ios', token: 'ab', app_id: 'com.example.app', locale: 'fr' },
      { platform: 'android', token: 'cd', app_id: 'com.example.app', locale: null },
    ]);
  });

  it("reads registrations back from another writer's record, leaving out platforms it does not know", () => {
    expect(
      registrationsOf({
        push_subscriptions: [{ endpoint: 'https://push.example/1', p256dh: 'P', auth: 'A' }],
        devices: [
          { platform: 'android', token: 'cd', app_id: 'com.example.app', locale: 'de' },
          { platform: 'huawei', token: 'ef', app_id: 'com.example.app', locale: null },
          { platform: 'ios', token: '', app_id: 'com.example.app', locale: null },
        ],
      }),
    ).toEqual([
      { platform: 'web', app_id: '', token: 'https://push.example/1', subscription: { p256dh: 'P', auth: 'A' }, locale: null },
      { platform: 'android', app_id: 'com.example.app', token: 'cd', subscription: null, locale: 'de' },
    ]);
  });
});
