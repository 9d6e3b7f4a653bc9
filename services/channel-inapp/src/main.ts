/** Wiring of the in-app channel worker. */
import { BUNDLED_TEMPLATES_DIR, channelDeadLetter, createChannelMetrics, createTemplateRenderer, TenantTemplates } from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { createLogger, createMetrics, groupId, runMain, startWorkerService, type RunningService } from '@notify/runner';
import { dispatchTopic, retryTopic } from '@notify/schemas';
import { loadConfig } from './config';
import { createInappHandler, PROVIDER, STAGE } from './handler';
import { InboxStore } from './inbox-store';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-inapp', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const metrics = createMetrics('channel-inapp');
  // Tenants' own templates, followed as the API changes them (the other channels get theirs from openChannelProcess).
  const templates = new TenantTemplates({ db, listenUrl: config.DATABASE_URL, dir: config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR, log });
  await templates.start();
  return startWorkerService(
    { service: 'channel-inapp', config, log, metrics },
    {
      stage: STAGE,
      groupId: groupId('notifications.channel-inapp', config),
      inputs: [dispatchTopic('inapp'), retryTopic('inapp')],
      outputs: ['notifications.inbox', 'notifications.delivery-status', 'notifications.dlq'],
      handler: createInappHandler({
        inbox: new InboxStore(db),
        metrics: createChannelMetrics(metrics.registry),
        render: createTemplateRenderer(templates, 'inapp'),
      }),
      deadLetter: channelDeadLetter('inapp', PROVIDER),
    },
    {
      onStop: async () => {
        await templates.close();
        await db.destroy();
      },
    },
  );
}

runMain(module, main);
