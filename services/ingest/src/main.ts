/** Wiring of the ingest service: HTTP gateway and/or the events consumer. */
import { AvroCodec, BatchingProducer } from '@notify/kafka';
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
  type SupervisedLane,
} from '@notify/runner';
import { createDb, migrateToLatest } from '@notify/db';
import { ApiKeys } from './api-keys';
import { loadConfig } from './config';
import { DedupeStore } from './dedupe-store';
import { createIngestHandler, STAGE, toRejectedTopic } from './handler';
import { buildGateway } from './http';
import { IdempotencyStore } from './idempotency-store';
import { Purger, type PurgeTask } from './purger';
import { StoredApiKeys } from './stored-api-keys';

/** Rows per purge statement, and statements per purge tick. */
const PURGE = { batch: 5000, maxRounds: 20 };

export interface IngestService extends RunningService {
  httpPort: number | null;
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<IngestService> {
  const config = loadConfig(env);
  const log = createLogger('ingest', config.LOG_LEVEL);
  const metrics = createMetrics('ingest');
  const parts = { service: 'ingest', config, log, metrics };
  // Started here, not by the worker, because the HTTP gateway starts the traces the consumer continues.
  const tracing = startTracing('ingest', config);
  const kafka = kafkaFor(parts);
  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  let codec: AvroCodec;
  try {
    await migrateToLatest(db);
    codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, ['notifications.events']);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const purgeTasks: PurgeTask[] = [];

  let httpPort: number | null = null;
  let closeHttp = async (): Promise<void> => {};
  if (config.INGEST_ROLES.has('http')) {
    const producer = kafka.producer();
    await producer.connect();
    const batching = new BatchingProducer(producer, { lingerMs: config.PRODUCE_LINGER_MS, maxBatch: 500 });
    const keys = new ApiKeys(ApiKeys.parse(config.INGEST_API_KEYS));
    const storedKeys = new StoredApiKeys(db, keys, config.API_KEYS_REFRESH_MS, log);
    await storedKeys.start();
    const idempotency = new IdempotencyStore(db, { leaseMs: config.IDEMPOTENCY_LEASE_MS, retentionMs: config.IDEMPOTENCY_RETENTION_MS });
    purgeTasks.push({ name: 'ingest_idempotency', purge: (now, limit) => idempotency.purgeExpired(now, limit) });
    const app = buildGateway({ keys, codec, producer: batching, idempotency, maxBatch: config.HTTP_MAX_BATCH, isReady: () => true, log });
    await app.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
    httpPort = (app.server.address() as { port: number }).port;
    log.info({ httpPort }, 'HTTP gateway listening');
    closeHttp = async () => {
      await app.close();
      storedKeys.stop();
      await batching.drain();
      await producer.disconnect();
    };
  }

  const lanes: SupervisedLane[] = [];
  if (config.INGEST_ROLES.has('consumer')) {
    const dedupe = new DedupeStore(db, config.DEDUPE_WINDOW_MS);
    purgeTasks.push({ name: 'ingest_dedupe', purge: (now, limit) => dedupe.purgeExpired(now, limit) });
    const spec = {
      stage: STAGE,
      groupId: groupId('notifications.ingest', config),
      inputs: ['notifications.events'] as const,
      outputs: ['notifications.accepted', 'notifications.delivery-status', 'notifications.events.rejected'] as const,
      handler: createIngestHandler({ dedupe }),
      deadLetter: toRejectedTopic(config.KAFKA_NAMESPACE),
    };
    const worker = new Worker(
      spec,
      {
        concurrency: config.WORKER_CONCURRENCY,
        partitionsConcurrently: config.PARTITIONS_CONCURRENTLY,
        chunkSize: config.CHUNK_SIZE,
        retry: { initialMs: 200, maxMs: 30_000 },
      },
      { kafka, codec, log, metrics, tracer: tracing.tracer },
    );
    lanes.push({ worker, groupId: spec.groupId, topics: spec.inputs });
  }
  const purger = new Purger(purgeTasks, { intervalMs: config.PURGE_INTERVAL_MS, ...PURGE }, log);

  // Supervised after the gateway listens: the ops server is what reports this process ready, and a
  // process reported ready must already take events over HTTP. A gateway-only process has no lanes
  // and is ready as soon as it listens.
  const running = await superviseLanes(parts, kafka, lanes, {
    stopFirst: closeHttp,
    onStop: async () => {
      await purger.stop();
      await db.destroy();
    },
    tracing,
  });
  purger.start();
  return { ...running, httpPort };
}

runMain(module, main);
