/** Wiring of the Slack channel worker. */
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createSlackHandler, slackDeadLetter } from './handler';
import { SlackProvider } from './slack-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('channel-slack', config);
  const destinations = TenantDestinations.parse(config.SLACK_DESTINATIONS, 'SLACK_DESTINATIONS');
  const useSandbox = (config.SLACK_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(channel, 'slack', useSandbox ? null : () => new SlackProvider({
    http: new GuardedJsonClient({ guard: new AddressGuard(config.SLACK_ALLOW_NETWORKS), timeoutMs: config.SLACK_TIMEOUT_MS, connections: config.SLACK_CONNECTIONS }),
    destinations,
    botTokens: TenantDestinations.parse(config.SLACK_BOT_TOKENS, 'SLACK_BOT_TOKENS'),
    apiUrl: config.SLACK_API_URL,
  }), 'SLACK_PROVIDER=sandbox or no SLACK_DESTINATIONS');
  return channel.run({
    channel: 'slack',
    handler: createSlackHandler({ provider, claims: new ClaimStore(channel.db), render: createTemplateRenderer(channel.templates(), 'slack'), retry: retryPolicyFor('slack', retryOverrides(config)) }),
    deadLetter: slackDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
