/**
 * The shared provider contract against the APNs sender (HTTP/2, token auth) and the fake APNs, which
 * verifies the ES256 provider token and the APNs headers.
 */
import { createPrivateKey } from 'node:crypto';
import type { Db } from '@notify/db';
import { apnsError, startApnsFake, type ApnsFake } from '../../../tests/support/fakes/apns-fake';
import { runProviderContract, type ProviderContractSubject } from '../../../tests/support/provider-contract';
import { ApnsSender } from '../src/apns/apns-sender';
import { ProviderToken } from '../src/apns/provider-token';
import { AppSettings } from '../src/app-settings';
import { contentFor } from '../src/push-payload';
import { pushProviderWith } from './provider-of';

jest.setTimeout(60_000);

let db: Db | undefined;
let apns: ApnsFake | undefined;
afterAll(async () => {
  await db?.destroy();
  expect(apns?.rejected).toEqual([]);
});

const subject: ProviderContractSubject<ApnsFake> = {
  name: 'apns (HTTP/2, token auth)',
  channel: 'push',
  address: null,
  startFake: () => startApnsFake(),
  createProvider: (fake) => {
    apns = fake;
    subject.address = JSON.stringify([{ platform: 'ios', token: fake.newToken(), app_id: fake.bundleId, locale: null }]);
    const app = { origin: fake.url, token: new ProviderToken(createPrivateKey(fake.keyPem), fake.keyId, fake.teamId) };
    const made = pushProviderWith({
      ios: new ApnsSender({
        apps: new AppSettings(new Map([['default', new Map([['default', app]])]])),
        timeoutMs: 5_000,
        ca: fake.certificate,
        content: contentFor(60),
      }),
    });
    db = made.db;
    return made.provider;
  },
  rateLimited: { response: apnsError(429, 'TooManyRequests', { 'retry-after': '7' }), code: 'apns_too_many_requests', retryAfterMs: 7_000 },
  unavailable: { response: apnsError(503, 'ServiceUnavailable'), code: /^apns_service_unavailable$/ },
  permanent: { response: apnsError(400, 'BadCollapseId'), code: 'apns_bad_collapse_id', reason: /BadCollapseId/ },
};

runProviderContract(subject);
