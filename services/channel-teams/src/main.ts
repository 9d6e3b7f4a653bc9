/** Wiring of the Teams channel worker. */
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createTeamsHandler, teamsDeadLetter } from './handler';
import { TeamsProvider } from './teams-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('channel-teams', config);
  const destinations = TenantDestinations.parse(config.TEAMS_DESTINATIONS, 'TEAMS_DESTINATIONS');
  const useSandbox = (config.TEAMS_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(channel, 'teams', useSandbox ? null : () => new TeamsProvider({
    http: new GuardedJsonClient({ guard: new AddressGuard(config.TEAMS_ALLOW_NETWORKS), timeoutMs: config.TEAMS_TIMEOUT_MS, connections: config.TEAMS_CONNECTIONS }),
    destinations,
  }), 'TEAMS_PROVIDER=sandbox or no TEAMS_DESTINATIONS');
  return channel.run({
    channel: 'teams',
    handler: createTeamsHandler({ provider, claims: new ClaimStore(channel.db), render: createTemplateRenderer(channel.templates(), 'teams'), retry: retryPolicyFor('teams', retryOverrides(config)) }),
    deadLetter: teamsDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
