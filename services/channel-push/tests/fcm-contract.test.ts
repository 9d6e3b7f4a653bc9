/**
 * The shared provider contract against the FCM HTTP v1 sender and the fake FCM (token endpoint that
 * verifies the RS256 assertion, messages:send that verifies the access token).
 */
import type { Db } from '@notify/db';
import { fcmError, startFcmFake, type FcmFake } from '../../../tests/support/fakes/fcm-fake';
import { runProviderContract, type ProviderContractSubject } from '../../../tests/support/provider-contract';
import { AppSettings } from '../src/app-settings';
import { FcmSender } from '../src/fcm/fcm-sender';
import { parseServiceAccount } from '../src/fcm/service-account';
import { contentFor } from '../src/push-payload';
import { pushProviderWith } from './provider-of';

jest.setTimeout(60_000);

let db: Db | undefined;
let fcm: FcmFake | undefined;
afterAll(async () => {
  await db?.destroy();
  expect(fcm?.rejected).toEqual([]);
});

const subject: ProviderContractSubject<FcmFake> = {
  name: 'fcm (HTTP v1)',
  channel: 'push',
  address: null,
  startFake: () => startFcmFake(),
  createProvider: (fake) => {
    fcm = fake;
    subject.address = JSON.stringify([{ platform: 'android', token: fake.newToken(), app_id: 'com.example.trading', locale: null }]);
    const projects = new AppSettings(
      new Map([['default', new Map([['default', { account: parseServiceAccount(fake.serviceAccount, 'test'), apiUrl: fake.url }]])]]),
    );
    const made = pushProviderWith({
      android: new FcmSender({ projects, timeoutMs: 5_000, connections: 8, ca: fake.certificate, content: contentFor(60) }),
    });
    db = made.db;
    return made.provider;
  },
  rateLimited: {
    response: fcmError(429, 'QUOTA_EXCEEDED', 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric', { 'retry-after': '7' }),
    code: 'fcm_quota_exceeded',
    retryAfterMs: 7_000,
  },
  unavailable: {
    response: fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE', 'The service is currently unavailable.'),
    code: /^fcm_unavailable$/,
  },
  permanent: {
    response: fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Invalid value at message.android.ttl'),
    code: 'fcm_invalid_argument',
    reason: /Invalid value at message\.android\.ttl/,
  },
};

runProviderContract(subject);
