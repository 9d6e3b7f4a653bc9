/**
 * What every channel worker opens before it can choose a provider: its logger and metrics, the
 * database (migrated), one Kafka client and one codec shared by the consumer lanes and any feedback
 * server, the template book, and the log of messages awaiting provider feedback. `run` starts the two
 * lanes and, when the provider reports delivery later, the sweeper of the channel's feedback timeout;
 * on stop it closes whatever the worker opened besides (feedback servers), the provider, the status
 * publisher and the database.
 */
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { AvroCodec, type KafkaPort } from '@notify/kafka';
import { createLogger, createMetrics, kafkaFor, type BaseWorkerConfig, type Logger, type RunningService, type ServiceParts } from '@notify/runner';
import type { ChannelRuntimeConfig } from './channel-config';
import { startChannelService, type ChannelServiceSpec } from './channel-service';
import { startFeedbackSweeper, type FeedbackSweeper } from './feedback-sweeper';
import { feedbackTimeoutMs } from './feedback-timeouts';
import { MessageCloser } from './message-closer';
import { MessageLog } from './message-log';
import { OutboxStore } from './outbox';
import type { ChannelProvider } from './provider';
import { SandboxProvider } from './sandbox-provider';
import { StatusPublisher } from './status-publisher';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

export type ChannelProcessConfig = BaseWorkerConfig & Pick<ChannelRuntimeConfig, 'DATABASE_URL' | 'TEMPLATES_DIR' | 'FEEDBACK_SWEEP_INTERVAL_MS'> & { FEEDBACK_TIMEOUT_MS?: number | undefined };

export interface ChannelRunSpec extends ChannelServiceSpec {
  /** The provider the handler sends with. Closed on stop; one that reports delivery later gets the feedback timeout. */
  provider: ChannelProvider;
}

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
  /** Messages sent through a provider that reports delivery later, until feedback or the timeout closes them. */
  messages: MessageLog;
  /** Closes logged messages on feedback or timeout, publishing and counting each once; connects on first use. */
  closer(): Promise<MessageCloser>;
  /**
   * Starts the dispatch and retry lanes, and the feedback timeout sweeper when the provider reports
   * delivery later; stopping ends the sweeper, closes `closables` in order, the provider, the status
   * publisher, then the database.
   */
  run(spec: ChannelRunSpec, ...closables: Array<Closable | undefined>): Promise<RunningService>;
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
    const messages = new MessageLog(db);
    let book: TemplateBook | undefined;
    let publisher: Promise<StatusPublisher> | undefined;
    const startedPublisher = (): Promise<StatusPublisher> => (publisher ??= (async () => {
      const started = new StatusPublisher(kafka, codec);
      await started.start();
      return started;
    })());
    const closer = async (): Promise<MessageCloser> => new MessageCloser({ messages, publisher: await startedPublisher(), metrics: parts.metrics });
    return {
      parts, log, db, kafka, codec, messages, closer,
      templates: () => (book ??= TemplateBook.fromDirectory(config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR)),
      run: async ({ provider, ...spec }, ...closables) => {
        // Connected before the lanes start, so a publisher that cannot start fails the start, not a sweep.
        const sweeping = provider.acceptanceIsDelivery ? undefined : await closer();
        let sweeper: FeedbackSweeper | undefined;
        const running = await startChannelService(parts, spec, {
          kafka,
          codec,
          onStop: async () => {
            await sweeper?.stop();
            for (const closable of [...closables, provider]) await closable?.close?.();
            await publisher?.then((started) => started.stop(), () => undefined);
            await db.destroy();
          },
        });
        if (sweeping) {
          sweeper = startFeedbackSweeper({
            closer: sweeping, channel: spec.channel, timeoutMs: feedbackTimeoutMs(spec.channel, config.FEEDBACK_TIMEOUT_MS),
            intervalMs: config.FEEDBACK_SWEEP_INTERVAL_MS, log,
          });
        }
        return running;
      },
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
