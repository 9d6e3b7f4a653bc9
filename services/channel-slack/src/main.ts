/** Wiring of the Slack channel worker. */
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { GuardedJsonClient, guardedClientOptions, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { SlackProvider } from './slack-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('slack', config);
  const destinations = TenantDestinations.parse(config.SLACK_DESTINATIONS, 'SLACK_DESTINATIONS');
  const useSandbox = (config.SLACK_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(
    channel,
    useSandbox
      ? null
      : () =>
          new SlackProvider({
            http: new GuardedJsonClient(guardedClientOptions(config.http)),
            destinations,
            botTokens: TenantDestinations.parse(config.SLACK_BOT_TOKENS, 'SLACK_BOT_TOKENS'),
            apiUrl: config.SLACK_API_URL,
          }),
    'SLACK_PROVIDER=sandbox or no SLACK_DESTINATIONS',
  );
  return channel.run({ provider, render: createTemplateRenderer(channel.templates(), 'slack') });
}

runMain(module, main);
