/**
 * What every channel worker opens before it can choose a provider: its logger and metrics, the
 * database (migrated), one Kafka client and one codec shared by the consumer lanes and any feedback
 * server, and the template book. `run` starts the two lanes and, on stop, closes whatever the worker
 * opened besides (feedback servers, provider pools) before the database.
 */
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { AvroCodec, type KafkaPort } from '@notify/kafka';
import { createLogger, createMetrics, kafkaFor, type BaseWorkerConfig, type Logger, type RunningService, type ServiceParts } from '@notify/runner';
import type { ChannelRuntimeConfig } from './channel-config';
import { startChannelService, type ChannelServiceSpec } from './channel-service';
import { OutboxStore } from './outbox';
import type { ChannelProvider } from './provider';
import { SandboxProvider } from './sandbox-provider';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

export type ChannelProcessConfig = BaseWorkerConfig & Pick<ChannelRuntimeConfig, 'DATABASE_URL' | 'TEMPLATES_DIR'>;

export interface Closable {
  close?(): Promise<void>;
}

export interface ChannelProcess {
  parts: ServiceParts;
  log: Logger;
  db: Db;
  kafka: KafkaPort;
  codec: AvroCodec;
  /** The templates of TEMPLATES_DIR, or the bundled ones; read on first use. */
  templates(): TemplateBook;
  /** Starts the dispatch and retry lanes; stopping closes `closables` in order, then the database. */
  run(spec: ChannelServiceSpec, ...closables: Array<Closable | undefined>): Promise<RunningService>;
}

export async function openChannelProcess(service: string, config: ChannelProcessConfig): Promise<ChannelProcess> {
  const log = createLogger(service, config.LOG_LEVEL);
  const parts: ServiceParts = { service, config, log, metrics: createMetrics(service) };
  // One connection per concurrent handler call, and a few for the feedback routes.
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  try {
    await migrateToLatest(db);
    const kafka = kafkaFor(parts);
    const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
    let book: TemplateBook | undefined;
    return {
      parts, log, db, kafka, codec,
      templates: () => (book ??= TemplateBook.fromDirectory(config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR)),
      run: (spec, ...closables) => startChannelService(parts, spec, {
        kafka,
        codec,
        onStop: async () => {
          for (const closable of closables) await closable?.close?.();
          await db.destroy();
        },
      }),
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * The provider `create` makes or, when there is none (the worker is told to use the sandbox or has
 * nothing to send with), the sandbox, which says so in the log: nothing it records reaches anyone.
 */
export function providerOrSandbox(process: ChannelProcess, channel: string, create: (() => ChannelProvider) | null, sandboxReason: string): ChannelProvider {
  if (create) return create();
  process.log.warn(`${channel} messages are recorded in channel_outbox, not sent (${sandboxReason})`);
  return new SandboxProvider(channel, new OutboxStore(process.db));
}
