/** Wiring of the Discord channel worker. */
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createDiscordHandler, discordDeadLetter } from './handler';
import { DiscordProvider } from './discord-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-discord', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const destinations = TenantDestinations.parse(config.DISCORD_DESTINATIONS, 'DISCORD_DESTINATIONS');
  const kind = config.DISCORD_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http');
  if (kind === 'sandbox') log.warn('discord messages are recorded in channel_outbox, not sent (DISCORD_PROVIDER=sandbox or no DISCORD_DESTINATIONS)');
  const provider: ChannelProvider = kind === 'sandbox'
    ? new SandboxProvider('discord', new OutboxStore(db))
    : new DiscordProvider({ http: new GuardedJsonClient({ guard: new AddressGuard(config.DISCORD_ALLOW_NETWORKS), timeoutMs: config.DISCORD_TIMEOUT_MS, connections: config.DISCORD_CONNECTIONS }), destinations });
  return startChannelService({ service: 'channel-discord', config, log, metrics: createMetrics('channel-discord') }, {
    channel: 'discord',
    handler: createDiscordHandler({ provider, claims: new ClaimStore(db), retry: retryPolicyFor('discord', retryOverrides(config)) }),
    deadLetter: discordDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
