/** Wiring of the Teams channel worker. */
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createTeamsHandler, teamsDeadLetter } from './handler';
import { TeamsProvider } from './teams-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-teams', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const destinations = TenantDestinations.parse(config.TEAMS_DESTINATIONS, 'TEAMS_DESTINATIONS');
  const kind = config.TEAMS_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http');
  if (kind === 'sandbox') log.warn('teams messages are recorded in channel_outbox, not sent (TEAMS_PROVIDER=sandbox or no TEAMS_DESTINATIONS)');
  const provider: ChannelProvider = kind === 'sandbox'
    ? new SandboxProvider('teams', new OutboxStore(db))
    : new TeamsProvider({ http: new GuardedJsonClient({ guard: new AddressGuard(config.TEAMS_ALLOW_NETWORKS), timeoutMs: config.TEAMS_TIMEOUT_MS, connections: config.TEAMS_CONNECTIONS }), destinations });
  return startChannelService({ service: 'channel-teams', config, log, metrics: createMetrics('channel-teams') }, {
    channel: 'teams',
    handler: createTeamsHandler({ provider, claims: new ClaimStore(db), retry: retryPolicyFor('teams', retryOverrides(config)) }),
    deadLetter: teamsDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
