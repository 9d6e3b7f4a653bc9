/** The shared provider contract against the PagerDuty Events API v2 adapter. */
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startPagerDutyFake } from '../../../tests/support/fakes/pagerduty-fake';
import { runProviderContract } from '../../../tests/support/provider-contract';
import { PagerDutyProvider } from '../src/pagerduty-provider';

jest.setTimeout(60_000);

runProviderContract({
  name: 'pagerduty events v2',
  channel: 'pagerduty',
  address: 'R0UT1NGKEY0000000000000000000003',
  startFake: () => startPagerDutyFake(),
  createProvider: (fake) =>
    new PagerDutyProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5_000, connections: 8 }),
      routingKeys: TenantDestinations.parse('{}', 'PAGERDUTY_ROUTING_KEYS'),
      eventsUrl: fake.eventsUrl,
    }),
  rateLimited: { response: { status: 429, headers: { 'retry-after': '7' } }, code: 'http_429', retryAfterMs: 7_000 },
  unavailable: { response: { status: 503 }, code: /^http_503$/ },
  permanent: {
    response: {
      status: 400,
      body: { status: 'invalid event', message: 'Event object is invalid', errors: ["'payload.summary' is missing or blank"] },
    },
    code: 'http_400',
    reason: /payload\.summary/,
  },
});
