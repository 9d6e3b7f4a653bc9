/** Wiring of the Discord channel worker. */
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createDiscordHandler, discordDeadLetter } from './handler';
import { DiscordProvider } from './discord-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('channel-discord', config);
  const destinations = TenantDestinations.parse(config.DISCORD_DESTINATIONS, 'DISCORD_DESTINATIONS');
  const useSandbox = (config.DISCORD_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(channel, 'discord', useSandbox ? null : () => new DiscordProvider({
    http: new GuardedJsonClient({ guard: new AddressGuard(config.DISCORD_ALLOW_NETWORKS), timeoutMs: config.DISCORD_TIMEOUT_MS, connections: config.DISCORD_CONNECTIONS }),
    destinations,
  }), 'DISCORD_PROVIDER=sandbox or no DISCORD_DESTINATIONS');
  return channel.run({
    channel: 'discord',
    handler: createDiscordHandler({ provider, claims: new ClaimStore(channel.db), render: createTemplateRenderer(channel.templates(), 'discord'), retry: retryPolicyFor('discord', retryOverrides(config)) }),
    deadLetter: discordDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
