/** The shared provider contract against both Slack adapters' paths: incoming webhook and chat.postMessage. */
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { startSlackFake, type SlackFake } from '../../../tests/support/fakes/slack-fake';
import { runProviderContract } from '../../../tests/support/provider-contract';
import { SlackProvider } from '../src/slack-provider';

jest.setTimeout(60_000);

const provider = (fake: SlackFake) =>
  new SlackProvider({
    http: new GuardedJsonClient({ guard: new AddressGuard(['127.0.0.1/32']), timeoutMs: 5_000, connections: 8 }),
    destinations: TenantDestinations.parse(JSON.stringify({ default: fake.webhookUrl('contract') }), 'SLACK_DESTINATIONS'),
    botTokens: TenantDestinations.parse(JSON.stringify({ default: fake.botToken }), 'SLACK_BOT_TOKENS'),
    apiUrl: fake.apiUrl,
  });

runProviderContract({
  name: 'slack incoming webhook',
  channel: 'slack',
  address: null,
  startFake: () => startSlackFake(),
  createProvider: provider,
  rateLimited: { response: { status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' }, code: 'http_429', retryAfterMs: 7_000 },
  unavailable: { response: { status: 503, body: 'service_unavailable' }, code: /^http_503$/ },
  permanent: { response: { status: 404, body: 'channel_not_found' }, code: 'http_404', reason: /channel_not_found/ },
});

runProviderContract({
  name: 'slack chat.postMessage',
  channel: 'slack',
  address: 'C0ALERTS',
  startFake: () => startSlackFake(),
  createProvider: provider,
  rateLimited: {
    response: { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } },
    code: 'http_429',
    retryAfterMs: 7_000,
  },
  unavailable: { response: { status: 200, body: { ok: false, error: 'service_unavailable' } }, code: /^slack_service_unavailable$/ },
  permanent: {
    response: { status: 200, body: { ok: false, error: 'not_in_channel' } },
    code: 'slack_not_in_channel',
    reason: /not_in_channel/,
  },
});
