/** Wiring of the Slack channel worker. */
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createSlackHandler, slackDeadLetter } from './handler';
import { SlackProvider } from './slack-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-slack', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const destinations = TenantDestinations.parse(config.SLACK_DESTINATIONS, 'SLACK_DESTINATIONS');
  const kind = config.SLACK_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http');
  if (kind === 'sandbox') log.warn('slack messages are recorded in channel_outbox, not sent (SLACK_PROVIDER=sandbox or no SLACK_DESTINATIONS)');
  const provider: ChannelProvider = kind === 'sandbox'
    ? new SandboxProvider('slack', new OutboxStore(db))
    : new SlackProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(config.SLACK_ALLOW_NETWORKS), timeoutMs: config.SLACK_TIMEOUT_MS, connections: config.SLACK_CONNECTIONS }),
      destinations,
      botTokens: TenantDestinations.parse(config.SLACK_BOT_TOKENS, 'SLACK_BOT_TOKENS'),
      apiUrl: config.SLACK_API_URL,
    });
  return startChannelService({ service: 'channel-slack', config, log, metrics: createMetrics('channel-slack') }, {
    channel: 'slack',
    handler: createSlackHandler({ provider, claims: new ClaimStore(db), retry: retryPolicyFor('slack', retryOverrides(config)) }),
    deadLetter: slackDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
