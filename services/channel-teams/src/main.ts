/** Wiring of the Teams channel worker. */
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { GuardedJsonClient, guardedClientOptions, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { TeamsProvider } from './teams-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('teams', config);
  const destinations = TenantDestinations.parse(config.TEAMS_DESTINATIONS, 'TEAMS_DESTINATIONS');
  const useSandbox = (config.TEAMS_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(
    channel,
    useSandbox
      ? null
      : () =>
          new TeamsProvider({
            http: new GuardedJsonClient(guardedClientOptions(config.http)),
            destinations,
          }),
    'TEAMS_PROVIDER=sandbox or no TEAMS_DESTINATIONS',
  );
  return channel.run({ provider, render: createTemplateRenderer(channel.templates(), 'teams') });
}

runMain(module, main);
