/**
 * Wiring of the router: one process, three consumers with their own groups so none waits behind another.
 *  - accepted events → direct intents and the first fan-out page (group notifications.router);
 *  - fan-out pages → one page of audience members each, then the next page (notifications.router-fanout);
 *  - recipients → the audience index in Postgres (notifications.router-recipients).
 */
import { createDb, migrateToLatest } from '@notify/db';
import { AvroCodec } from '@notify/kafka';
import {
  createLogger,
  createMetrics,
  groupId,
  kafkaFor,
  runMain,
  startTracing,
  superviseLanes,
  Worker,
  type RunningService,
} from '@notify/runner';
import { AudienceIndex } from './audience-index';
import { AudienceIndexConsumer } from './audience-index-consumer';
import { loadConfig } from './config';
import { createFanoutHandler } from './fanout-handler';
import { createRouterHandler, STAGE } from './handler';
import { RuleStore } from './rules/rule-store';

const RETRY = { initialMs: 200, maxMs: 30_000 };

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('router', config.LOG_LEVEL);
  const metrics = createMetrics('router');
  const rules = new RuleStore({
    path: config.RULES_PATH,
    log,
    pollIntervalMs: config.RULES_POLL_MS,
    onReload: (book) => log.info({ tenants: book.tenants(), rules: book.ruleCount() }, 'rules reloaded'),
  });
  const book = rules.start();
  // At start there are no earlier rules to keep in force, so a broken file stops the service.
  if (rules.errors().length > 0) {
    rules.close();
    throw new Error(
      `router: rule files rejected:\n${rules
        .errors()
        .map((e) => `  ${e.message}`)
        .join('\n')}`,
    );
  }
  log.info({ path: config.RULES_PATH, tenants: book.tenants(), rules: book.ruleCount() }, 'rules loaded');

  const db = createDb(config.DATABASE_URL, 4);
  const parts = { service: 'router', config, log, metrics };
  const kafka = kafkaFor(parts);
  let codec: AvroCodec;
  try {
    await migrateToLatest(db);
    codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
  } catch (error) {
    rules.close();
    await db.destroy();
    throw error;
  }
  const index = new AudienceIndex(db);
  const tracing = startTracing('router', config);
  const deps = { kafka, codec, log, metrics, tracer: tracing.tracer };
  const groups = {
    accepted: groupId('notifications.router', config),
    fanout: groupId('notifications.router-fanout', config),
    recipients: groupId('notifications.router-recipients', config),
  };

  const accepted = new Worker(
    {
      stage: STAGE,
      groupId: groups.accepted,
      inputs: ['notifications.accepted'],
      outputs: ['notifications.intents', 'notifications.delivery-status', 'notifications.fanout'],
      handler: createRouterHandler({ rules: () => rules }),
    },
    {
      concurrency: config.WORKER_CONCURRENCY,
      partitionsConcurrently: config.PARTITIONS_CONCURRENTLY,
      chunkSize: config.CHUNK_SIZE,
      retry: RETRY,
    },
    deps,
  );
  // One page per chunk: a page already is a large produce batch, and memory stays at
  // FANOUT_PARTITIONS_CONCURRENTLY pages.
  const fanout = new Worker(
    {
      stage: STAGE,
      groupId: groups.fanout,
      inputs: ['notifications.fanout'],
      outputs: ['notifications.intents', 'notifications.delivery-status', 'notifications.fanout'],
      handler: createFanoutHandler({ index, pageSize: config.FANOUT_PAGE_SIZE }),
    },
    { concurrency: 1, partitionsConcurrently: config.FANOUT_PARTITIONS_CONCURRENTLY, chunkSize: 1, retry: RETRY },
    deps,
  );
  const audiences = new AudienceIndexConsumer({
    ...deps,
    index,
    groupId: groups.recipients,
    chunkSize: config.CHUNK_SIZE,
  });

  // Lag of every group: a fan-out backlog or an index falling behind shows as much as accepted events waiting.
  return superviseLanes(
    parts,
    kafka,
    [
      { worker: accepted, groupId: groups.accepted, topics: ['notifications.accepted'] },
      { worker: fanout, groupId: groups.fanout, topics: ['notifications.fanout'] },
      { worker: audiences, groupId: groups.recipients, topics: ['notifications.recipients'] },
    ],
    {
      onStop: async () => {
        rules.close();
        await db.destroy();
      },
      tracing,
    },
  );
}

runMain(module, main);
