/** Wiring of the webhook channel worker. */
import { ClaimStore, OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, type ChannelProvider } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { createLogger, createMetrics, runMain, type RunningService } from '@notify/runner';
import { AddressGuard } from '@notify/provider-http';
import { loadConfig } from './config';
import { createWebhookHandler, webhookDeadLetter } from './handler';
import { parseEndpoints } from './endpoints';
import { WebhookProvider } from './webhook-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-webhook', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const endpoints = parseEndpoints(config.WEBHOOK_ENDPOINTS);
  const kind = config.WEBHOOK_PROVIDER ?? (endpoints.size > 0 ? 'http' : 'sandbox');
  if (kind === 'sandbox') log.warn(config.WEBHOOK_PROVIDER ? 'WEBHOOK_PROVIDER=sandbox: webhooks are recorded in channel_outbox, not sent' : 'no WEBHOOK_ENDPOINTS configured: using the sandbox provider (channel_outbox), nothing is sent');
  const provider: ChannelProvider = kind === 'sandbox'
    ? new SandboxProvider('webhook', new OutboxStore(db))
    : new WebhookProvider({ endpoints, guard: new AddressGuard(config.WEBHOOK_ALLOW_NETWORKS), timeoutMs: config.WEBHOOK_TIMEOUT_MS, connections: config.WEBHOOK_CONNECTIONS });
  return startChannelService({ service: 'channel-webhook', config, log, metrics: createMetrics('channel-webhook') }, {
    channel: 'webhook',
    handler: createWebhookHandler({ provider, claims: new ClaimStore(db), retry: retryPolicyFor('webhook', retryOverrides(config)) }),
    deadLetter: webhookDeadLetter(provider),
  }, {
    onStop: async () => {
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
