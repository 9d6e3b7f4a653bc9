/** Wiring of the ingest service: HTTP gateway and/or the events consumer. */
import { AvroCodec, BatchingProducer } from '@notify/kafka';
import { createLogger, createMetrics, groupId, kafkaFor, runMain, startOpsServer, startTracing, startWorkerService, type Logger, type RunningService } from '@notify/runner';
import { createDb, migrateToLatest } from '@notify/db';
import { ApiKeys } from './api-keys';
import { loadConfig } from './config';
import { createIngestHandler, STAGE, toRejectedTopic } from './handler';
import { buildGateway } from './http';
import { StoredApiKeys } from './stored-api-keys';

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
  const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, ['notifications.events']);

  let worker: RunningService | null = null;
  if (config.INGEST_ROLES.has('consumer')) {
    worker = await startWorkerService(parts, {
      stage: STAGE,
      groupId: groupId('notifications.ingest', config),
      inputs: ['notifications.events'],
      outputs: ['notifications.accepted', 'notifications.delivery-status', 'notifications.events.rejected'],
      handler: createIngestHandler({ dedupeWindowMs: config.DEDUPE_WINDOW_MS, dedupeMaxKeys: config.DEDUPE_MAX_KEYS }),
      deadLetter: toRejectedTopic,
    }, { kafka, codec, tracing });
  }

  let httpPort: number | null = null;
  let closeHttp = async (): Promise<void> => {};
  if (config.INGEST_ROLES.has('http')) {
    const producer = kafka.producer();
    await producer.connect();
    const batching = new BatchingProducer(producer, { lingerMs: config.PRODUCE_LINGER_MS, maxBatch: 500 });
    const keys = new ApiKeys(ApiKeys.parse(config.INGEST_API_KEYS));
    const storedKeys = await startStoredKeys(config.DATABASE_URL, keys, config.API_KEYS_REFRESH_MS, log);
    const app = buildGateway({ keys, codec, producer: batching, maxBatch: config.HTTP_MAX_BATCH, isReady: () => true });
    await app.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
    httpPort = (app.server.address() as { port: number }).port;
    log.info({ httpPort }, 'HTTP gateway listening');
    closeHttp = async () => {
      await app.close();
      await storedKeys?.stop();
      await batching.drain();
      await producer.disconnect();
    };
  }

  // The worker brings its own ops server; a gateway-only process still needs /health and /metrics.
  const gatewayOps = worker ? null : await startOpsServer(config.OPS_PORT, metrics.registry, () => httpPort !== null);
  const service: IngestService = {
    httpPort,
    opsPort: worker?.opsPort ?? gatewayOps?.port ?? 0,
    stop: async () => {
      await closeHttp();
      await worker?.stop();
      await gatewayOps?.close();
      await tracing.shutdown();
    },
  };
  return service;
}

/** Producer keys created through the API, when a database is configured. */
async function startStoredKeys(url: string | undefined, keys: ApiKeys, refreshMs: number, log: Logger): Promise<{ stop(): Promise<void> } | null> {
  if (!url) return null;
  const db = createDb(url, 2);
  await migrateToLatest(db);
  const stored = new StoredApiKeys(db, keys, refreshMs, log);
  await stored.start();
  return { stop: async () => { stored.stop(); await db.destroy(); } };
}

runMain(module, main);
