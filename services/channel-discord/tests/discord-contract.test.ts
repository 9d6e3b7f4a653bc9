/** The shared provider contract against the Discord webhook adapter. */
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startDiscordFake } from '../../../tests/support/fakes/discord-fake';
import { runProviderContract } from '../../../tests/support/provider-contract';
import { DiscordProvider } from '../src/discord-provider';

jest.setTimeout(60_000);

runProviderContract({
  name: 'discord webhook',
  channel: 'discord',
  address: null,
  startFake: () => startDiscordFake(),
  createProvider: (fake) =>
    new DiscordProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5_000, connections: 8 }),
      destinations: TenantDestinations.parse(JSON.stringify({ default: fake.webhookUrl('42') }), 'DISCORD_DESTINATIONS'),
    }),
  rateLimited: {
    response: {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { message: 'You are being rate limited.', retry_after: 7, global: false },
    },
    code: 'http_429',
    retryAfterMs: 7_000,
  },
  unavailable: { response: { status: 502 }, code: /^http_502$/ },
  permanent: {
    response: { status: 403, body: { code: 50013, message: 'Missing Permissions' } },
    code: 'http_403',
    reason: /50013 Missing Permissions/,
  },
});
