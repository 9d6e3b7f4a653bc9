/** Wiring of the tracker: notifications.delivery-status into Postgres. */
import { createDb, migrateToLatest } from '@notify/db';
import { createLogger, createMetrics, groupId, runMain, startWorkerService, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createTrackerHandler, STAGE } from './handler';
import { StatusStore } from './status-store';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('tracker', config.LOG_LEVEL);
  const db = createDb(config.DATABASE_URL, 2 * config.PARTITIONS_CONCURRENTLY);
  await migrateToLatest(db);
  return startWorkerService(
    { service: 'tracker', config, log, metrics: createMetrics('tracker') },
    {
      stage: STAGE,
      groupId: groupId('notifications.tracker', config),
      inputs: ['notifications.delivery-status'],
      outputs: [],
      handler: createTrackerHandler(new StatusStore(db)),
    },
    { onStop: () => db.destroy() },
  );
}

runMain(module, main);
