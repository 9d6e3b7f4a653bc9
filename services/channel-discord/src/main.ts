/** Wiring of the Discord channel worker. */
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { GuardedJsonClient, guardedClientOptions, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { DiscordProvider } from './discord-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('discord', config);
  const destinations = TenantDestinations.parse(config.DISCORD_DESTINATIONS, 'DISCORD_DESTINATIONS');
  const useSandbox = (config.DISCORD_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(
    channel,
    useSandbox
      ? null
      : () =>
          new DiscordProvider({
            http: new GuardedJsonClient(guardedClientOptions(config.http)),
            destinations,
          }),
    'DISCORD_PROVIDER=sandbox or no DISCORD_DESTINATIONS',
  );
  return channel.run({ provider, render: createTemplateRenderer(channel.templates(), 'discord') });
}

runMain(module, main);
