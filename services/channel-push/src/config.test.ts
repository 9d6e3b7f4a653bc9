import { ConfigError } from '@notify/runner';
import { TEST_PERSONAL_DATA_ENV } from '../../../tests/support/test-keys';
import { LEGACY_FCM_MESSAGE, loadConfig } from './config';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

describe('channel-push configuration', () => {
  it('refuses a legacy FCM server key, saying the API is gone and how to configure HTTP v1', () => {
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, FCM_SERVER_KEY: 'AAAA1234:APA91b-legacy' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, FCM_SERVER_KEY: 'AAAA1234:APA91b-legacy' })).toThrow(
      /FCM_SERVER_KEY: .*shut the legacy FCM API down in July 2024.*FCM_SERVICE_ACCOUNT_FILE/s,
    );
    expect(LEGACY_FCM_MESSAGE).toContain('HTTP v1');
  });

  it('reads FCM and APNs settings per tenant and app, falling back to default', () => {
    const config = loadConfig({
      ...TEST_PERSONAL_DATA_ENV,
      FCM_APPS: JSON.stringify({
        acme: { 'com.acme.app': { service_account_file: '/acme.json' } },
        default: { default: { service_account_file: '/shared.json', deep_link_base: 'app://n/' } },
      }),
      APNS_APPS: JSON.stringify({
        default: { 'com.acme.app': { key: KEY, key_id: 'ABC123DEFG', team_id: 'TEAM123456', environment: 'sandbox' } },
      }),
    });
    expect(config.fcmApps.find('acme', 'com.acme.app')).toMatchObject({
      service_account_file: '/acme.json',
      api_url: 'https://fcm.googleapis.com',
    });
    expect(config.fcmApps.find('acme', 'com.other')).toMatchObject({ service_account_file: '/shared.json', deep_link_base: 'app://n/' });
    expect(config.fcmApps.find('globex', 'com.acme.app')).toMatchObject({ service_account_file: '/shared.json' });
    expect(config.apnsApps.find('acme', 'com.acme.app')).toMatchObject({ key_id: 'ABC123DEFG', environment: 'sandbox' });
    expect(config.apnsApps.find('acme', 'com.other')).toBeUndefined();
  });

  it('counts a tenant listed without apps as nothing configured (the example Secret)', () => {
    const config = loadConfig({ ...TEST_PERSONAL_DATA_ENV, FCM_APPS: '{"example": {}}', APNS_APPS: '{"example": {}}' });
    expect([config.fcmApps.isEmpty(), config.apnsApps.isEmpty()]).toEqual([true, true]);
  });

  it('takes the single-app variables as the default entry', () => {
    const config = loadConfig({
      ...TEST_PERSONAL_DATA_ENV,
      FCM_SERVICE_ACCOUNT_FILE: '/sa.json',
      APNS_KEY_FILE: '/AuthKey.p8',
      APNS_KEY_ID: 'ABC123DEFG',
      APNS_TEAM_ID: 'TEAM123456',
      APNS_BUNDLE_ID: 'com.acme.app',
    });
    expect(config.fcmApps.find('any', 'any.app')).toMatchObject({ service_account_file: '/sa.json' });
    expect(config.apnsApps.find('any', 'com.acme.app')).toMatchObject({ key_file: '/AuthKey.p8', environment: 'production' });
    expect(config.apnsApps.find('any', 'com.other')).toBeUndefined();
  });

  it.each([
    ['FCM_APPS', 'not json', /FCM_APPS: is not valid JSON/],
    [
      'FCM_APPS',
      JSON.stringify({ default: { default: {} } }),
      /FCM_APPS: default\.default: needs exactly one of service_account_file, service_account/,
    ],
    [
      'APNS_APPS',
      JSON.stringify({ default: { default: { key: KEY, key_id: 'short', team_id: 'TEAM123456' } } }),
      /APNS_APPS: default\.default\.key_id: must be the 10-character key id/,
    ],
    ['APNS_KEY_ID', 'ABC123DEFG', /APNS_KEY_FILE, APNS_KEY_ID and APNS_TEAM_ID go together/],
  ])('fails fast on an unusable %s', (name, value, message) => {
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, [name]: value })).toThrow(message);
  });
});
