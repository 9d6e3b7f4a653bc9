/** Wiring of the PagerDuty channel worker. */
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createPagerDutyHandler, pagerdutyDeadLetter } from './handler';
import { PagerDutyProvider } from './pagerduty-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-pagerduty', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const destinations = TenantDestinations.parse(config.PAGERDUTY_ROUTING_KEYS, 'PAGERDUTY_ROUTING_KEYS');
  const kind = config.PAGERDUTY_PROVIDER ?? (destinations.isEmpty() ? 'sandbox' : 'http');
  if (kind === 'sandbox') log.warn('pagerduty messages are recorded in channel_outbox, not sent (PAGERDUTY_PROVIDER=sandbox or no PAGERDUTY_ROUTING_KEYS)');
  const provider: ChannelProvider = kind === 'sandbox'
    ? new SandboxProvider('pagerduty', new OutboxStore(db))
    : new PagerDutyProvider({
      http: new GuardedJsonClient({ guard: new AddressGuard(config.PAGERDUTY_ALLOW_NETWORKS), timeoutMs: config.PAGERDUTY_TIMEOUT_MS, connections: config.PAGERDUTY_CONNECTIONS }),
      routingKeys: destinations,
      eventsUrl: config.PAGERDUTY_EVENTS_URL,
    });
  return startChannelService({ service: 'channel-pagerduty', config, log, metrics: createMetrics('channel-pagerduty') }, {
    channel: 'pagerduty',
    handler: createPagerDutyHandler({ provider, claims: new ClaimStore(db), retry: retryPolicyFor('pagerduty', retryOverrides(config)) }),
    deadLetter: pagerdutyDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
