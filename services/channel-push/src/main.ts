/** Wiring of the web-push channel worker. */
import { readFileSync } from 'node:fs';
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AddressGuard } from '@notify/provider-http';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createPushHandler, pushDeadLetter } from './handler';
import { PushProvider } from './push-provider';
import { RemovalStore } from './removal-store';
import { checkVapid } from './vapid';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-push', config.LOG_LEVEL);
  const kind = config.PUSH_PROVIDER ?? (config.VAPID_PRIVATE_KEY ? 'web-push' : 'sandbox');
  const vapid = kind === 'web-push' ? checkVapid({ subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY }) : undefined;
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const claims = new ClaimStore(db);
  if (kind === 'sandbox') log.warn('push messages are recorded in channel_outbox, not sent (PUSH_PROVIDER=sandbox or no VAPID keys)');
  const provider: ChannelProvider = vapid
    ? new PushProvider({
      vapid,
      claims,
      removals: new RemovalStore(db),
      guard: new AddressGuard(config.PUSH_ALLOW_NETWORKS),
      ttlSeconds: config.PUSH_TTL_SECONDS,
      timeoutMs: config.PUSH_TIMEOUT_MS,
      connections: config.PUSH_CONNECTIONS,
      ...(config.PUSH_EXTRA_CA_FILE ? { ca: readFileSync(config.PUSH_EXTRA_CA_FILE, 'utf8') } : {}),
    })
    : new SandboxProvider('push', new OutboxStore(db));
  return startChannelService({ service: 'channel-push', config, log, metrics: createMetrics('channel-push') }, {
    channel: 'push',
    handler: createPushHandler({ provider, claims, retry: retryPolicyFor('push', retryOverrides(config)) }),
    deadLetter: pushDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
