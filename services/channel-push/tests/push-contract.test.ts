/**
 * The shared provider contract against the Web Push sender. The dispatch address must be a
 * subscription of the fake push service, which exists only once the fake runs, so the subject's
 * address is filled in when the provider is created (the contract reads it per dispatch).
 */
import type { Db } from '@notify/db';
import { AddressGuard } from '@notify/provider-http';
import { generateVAPIDKeys } from 'web-push';
import { startPushFake, type PushFake } from '../../../tests/support/fakes/push-fake';
import { runProviderContract, type ProviderContractSubject } from '../../../tests/support/provider-contract';
import { contentFor } from '../src/push-payload';
import { WebPushSender } from '../src/web/web-push-sender';
import { pushProviderWith } from './provider-of';

jest.setTimeout(60_000);

let db: Db | undefined;
afterAll(async () => {
  await db?.destroy();
});

const subject: ProviderContractSubject<PushFake> = {
  name: 'web-push',
  channel: 'push',
  address: null,
  startFake: () => startPushFake(),
  createProvider: (fake) => {
    subject.address = JSON.stringify(fake.subscribe());
    const vapid = generateVAPIDKeys();
    const made = pushProviderWith({
      web: new WebPushSender({
        vapid: { subject: 'mailto:contract@example.com', ...vapid },
        guard: new AddressGuard(['127.0.0.1/32']),
        timeoutMs: 5_000,
        connections: 8,
        ca: fake.certificate,
        content: contentFor(60),
      }),
    });
    db = made.db;
    return made.provider;
  },
  rateLimited: { response: { status: 429, headers: { 'retry-after': '7' } }, code: 'http_429', retryAfterMs: 7_000 },
  unavailable: { response: { status: 503, body: 'busy' }, code: /^http_503$/ },
  permanent: { response: { status: 413, body: 'payload too large' }, code: 'http_413', reason: /payload too large/ },
};

runProviderContract(subject);
