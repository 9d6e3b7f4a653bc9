/** Wiring of the API service: HTTP + WebSocket app, inbox fan-out consumer, DLQ collector, recipient adoption, ops server. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BUNDLED_TEMPLATES_DIR } from '@notify/channel';
import { ContactCipher, createDb, migrateToLatest, PersonalKeys } from '@notify/db';
import { AvroCodec } from '@notify/kafka';
import { Sealer } from '@notify/schemas';
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
import { buildApp } from './app';
import { TokenVerifier } from './auth';
import { loadConfig, tokenSettings } from './config';
import { createDlqCollector, DLQ_COLLECTOR_STAGE, dropUnreadableDeadLetter } from './dlq/dlq-collector';
import { DlqStore } from './dlq/dlq-store';
import { API_TOPIC_WRITES, ApiPublisher } from './kafka/api-publisher';
import { createRecipientAdopter, RECIPIENT_ADOPTION_STAGE } from './recipients/recipient-adopter';
import { defaultServiceGroups, parseExtraGroups } from './lag/service-groups';
import { InboxFanout } from './realtime/inbox-fanout';
import { createRealtimeMetrics } from './realtime/realtime-metrics';
import { SocketHub } from './realtime/socket-hub';
import { tracedProducer } from './kafka/traced-producer';

export interface ApiService extends RunningService {
  httpPort: number;
}

export const DLQ_GROUP = 'notifications.api-dlq';
export const RECIPIENTS_GROUP = 'notifications.api-recipients';

function instanceId(configured: string | undefined): string {
  return configured ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${randomUUID().slice(0, 8)}`;
}

export async function main(env: Record<string, string | undefined> = process.env): Promise<ApiService> {
  const config = loadConfig(env);
  const log = createLogger('api', config.LOG_LEVEL);
  const metrics = createMetrics('api');
  const parts = { service: 'api', config, log, metrics };
  const lagGroups = [...defaultServiceGroups(config.GROUP_SUFFIX), ...parseExtraGroups(config.LAG_GROUPS)];
  const tracing = startTracing('api', config);

  const db = createDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const contacts = new ContactCipher(config.DATA_KEYS, config.BLIND_INDEX_KEY);
  const personal = new PersonalKeys(db, new Sealer(config.DATA_KEYS), { cacheMs: config.PERSONAL_KEYS_CACHE_MS });
  await migrateToLatest(db);
  const kafka = kafkaFor(parts);
  const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, API_TOPIC_WRITES);
  const producer = tracedProducer(kafka.producer());
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();

  const hub = new SocketHub();
  const realtimeMetrics = createRealtimeMetrics(metrics.registry);
  const fanoutGroup = `notifications.api-ws.${instanceId(config.API_INSTANCE_ID)}`;
  const fanout = new InboxFanout({ kafka, codec, hub, log, metrics: realtimeMetrics, groupId: fanoutGroup });
  const dlqStore = new DlqStore(db, config.KAFKA_NAMESPACE);
  const dlqWorker = new Worker(
    {
      stage: DLQ_COLLECTOR_STAGE,
      groupId: groupId(DLQ_GROUP, config),
      inputs: ['notifications.dlq'],
      outputs: [],
      handler: createDlqCollector(dlqStore, (topic, bytes) => codec.decode(topic, bytes)),
      deadLetter: dropUnreadableDeadLetter,
    },
    {
      concurrency: 1,
      partitionsConcurrently: config.PARTITIONS_CONCURRENTLY,
      chunkSize: config.CHUNK_SIZE,
      retry: { initialMs: 200, maxMs: 30_000 },
    },
    { kafka, codec, log, metrics, tracer: tracing.tracer },
  );
  // One group for all replicas; one record at a time, so a user's records are adopted in topic order.
  const recipientsWorker = new Worker(
    {
      stage: RECIPIENT_ADOPTION_STAGE,
      groupId: groupId(RECIPIENTS_GROUP, config),
      inputs: ['notifications.recipients'],
      // Written through the API's own producer inside the row's transaction, not as runner outputs; listed so the schema is registered.
      outputs: ['notifications.recipients'],
      handler: createRecipientAdopter({ db, contacts, send: (records) => producer.send(records), codec, personal }),
      // A record that cannot be read is logged and counted by the runner; the topic is other services' input, not ours to dead-letter.
      deadLetter: () => [],
    },
    {
      concurrency: 1,
      partitionsConcurrently: config.PARTITIONS_CONCURRENTLY,
      chunkSize: config.CHUNK_SIZE,
      retry: { initialMs: 200, maxMs: 30_000 },
    },
    { kafka, codec, log, metrics, tracer: tracing.tracer },
  );
  // Judged by the lag of their groups: dead letters waiting to be filed, inbox items not yet pushed, records not yet adopted.
  const lanes = [
    { worker: fanout, groupId: fanoutGroup, topics: ['notifications.inbox'] },
    { worker: dlqWorker, groupId: groupId(DLQ_GROUP, config), topics: ['notifications.dlq'] },
    { worker: recipientsWorker, groupId: groupId(RECIPIENTS_GROUP, config), topics: ['notifications.recipients'] },
  ];
  const isReady = () => lanes.every((l) => l.worker.isReady());
  if (!config.UNSUBSCRIBE_SECRET) log.warn('UNSUBSCRIBE_SECRET not set: /v1/unsubscribe refuses every link');

  const app = await buildApp({
    tokens: new TokenVerifier(tokenSettings(config)),
    db,
    contacts,
    codec,
    publisher: new ApiPublisher(producer, codec),
    send: (records) => producer.send(records),
    codeHashSecret: config.CODE_HASH_SECRET,
    sealer: new Sealer(config.SEALING_KEYS),
    personal,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    hub,
    realtimeMetrics,
    dlqStore,
    admin,
    lagGroups,
    isReady,
    wsPingIntervalMs: config.WS_PING_INTERVAL_MS,
    catchUpPageSize: config.WS_CATCHUP_PAGE_SIZE,
    log,
    templates: {
      shippedDir: config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR,
      smsMaxSegments: config.SMS_MAX_SEGMENTS,
      email: { unsubscribeBaseUrl: config.UNSUBSCRIBE_BASE_URL, unsubscribeSecret: config.UNSUBSCRIBE_SECRET },
    },
  });
  await app.listen({ port: config.HTTP_PORT, host: config.HTTP_HOST });
  const httpPort = (app.server.address() as { port: number }).port;
  log.info({ httpPort }, 'HTTP listening');

  // Supervised once the app listens: a process its ops server reports ready takes requests.
  const running = await superviseLanes(parts, kafka, lanes, {
    stopFirst: () => app.close(),
    // After the lanes: the recipient adopter publishes through the producer.
    onStop: async () => {
      await producer.disconnect();
      await admin.disconnect();
      await db.destroy();
    },
    tracing,
  });
  return { ...running, httpPort };
}

runMain(module, main);
