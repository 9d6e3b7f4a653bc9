/** The shared provider contract against the Teams Workflows adapter. */
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startTeamsFake } from '../../../tests/support/fakes/teams-fake';
import { runProviderContract } from '../../../tests/support/provider-contract';
import { TeamsProvider } from '../src/teams-provider';

jest.setTimeout(60_000);

runProviderContract({
  name: 'teams workflows',
  channel: 'teams',
  address: null,
  startFake: () => startTeamsFake(),
  createProvider: (fake) =>
    new TeamsProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5_000, connections: 8 }),
      destinations: TenantDestinations.parse(JSON.stringify({ default: fake.workflowUrl('contract') }), 'TEAMS_DESTINATIONS'),
    }),
  rateLimited: { response: { status: 429, headers: { 'retry-after': '7' } }, code: 'http_429', retryAfterMs: 7_000 },
  unavailable: { response: { status: 500 }, code: /^http_500$/ },
  permanent: {
    response: { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'bad card' } } },
    code: 'http_400',
    reason: /InvalidRequestContent bad card/,
  },
});
