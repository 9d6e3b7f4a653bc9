/**
 * What every channel worker opens before it can choose a provider: its logger and metrics, the
 * database (migrated), one Kafka client and one codec shared by the consumer lanes and any feedback
 * server, the template book, and the log of messages awaiting provider feedback. `run` builds the
 * channel handler around the chosen provider (claims, the channel's retry policy with the config's
 * overrides, the message log, the dead-letter policy), starts the two lanes and, when the provider
 * reports delivery later, the sweeper of the channel's feedback timeout; on stop it closes whatever
 * the worker opened besides (feedback servers), the provider, the status publisher and the database.
 */
import { ContactCipher, createDb, migrateToLatest, PersonalKeys, type Db } from '@notify/db';
import { AvroCodec, type KafkaPort } from '@notify/kafka';
import {
  createLogger,
  createMetrics,
  kafkaFor,
  type BaseWorkerConfig,
  type Logger,
  type RunningService,
  type ServiceParts,
} from '@notify/runner';
import { Sealer, type Channel, type Dispatch } from '@notify/schemas';
import { retryOverrides, type ChannelRuntimeConfig } from './channel-config';
import { channelDeadLetter, createChannelHandler } from './channel-handler';
import { createChannelMetrics, type ChannelMetrics } from './channel-metrics';
import { startChannelService } from './channel-service';
import { ClaimStore } from './claims';
import { startFeedbackSweeper, type FeedbackSweeper } from './feedback-sweeper';
import { feedbackTimeoutMs } from './feedback-timeouts';
import { MessageCloser } from './message-closer';
import { MessageLog } from './message-log';
import { OutboxStore } from './outbox';
import type { OptOutStore } from './opt-outs';
import type { ChannelProvider, RenderedMessage } from './provider';
import { retryPolicyFor } from './retry-policy';
import { SandboxProvider } from './sandbox-provider';
import { StatusPublisher } from './status-publisher';
import { TenantTemplates } from './tenant-templates';
import { BUNDLED_TEMPLATES_DIR } from './templates';

export type ChannelProcessConfig = BaseWorkerConfig &
  Pick<
    ChannelRuntimeConfig,
    | 'DATABASE_URL'
    | 'TEMPLATES_DIR'
    | 'FEEDBACK_SWEEP_INTERVAL_MS'
    | 'RETRY_DELAYS_MS'
    | 'DATA_KEYS'
    | 'BLIND_INDEX_KEY'
    | 'PERSONAL_KEYS_CACHE_MS'
  > & {
    FEEDBACK_TIMEOUT_MS?: number | undefined;
    RETRY_MAX_RETRIES?: number | undefined;
  };

export interface ChannelRunSpec {
  /** The provider the handler sends with. Closed on stop; one that reports delivery later gets the feedback timeout. */
  provider: ChannelProvider;
  render: (dispatch: Dispatch) => RenderedMessage;
  /** When given: opted-out addresses are suppressed, and provider opt-outs are recorded. */
  optOuts?: OptOutStore;
}

export interface Closable {
  close?(): Promise<void>;
}

export interface ChannelProcess {
  channel: Channel;
  parts: ServiceParts;
  log: Logger;
  db: Db;
  /** Seals the addresses this worker stores (outbox, opt-outs, push removals) and finds them by blind index. */
  contacts: ContactCipher;
  kafka: KafkaPort;
  codec: AvroCodec;
  /** The idempotency claims of the channel's sends (a provider that sends to several targets claims each too). */
  claims: ClaimStore;
  /** Notification outcomes (emitted, delivered, failed, latency, unconfirmed), on the process's registry. */
  metrics: ChannelMetrics;
  /**
   * The tenants' own templates over those of TEMPLATES_DIR (or the bundled ones), read when the process
   * opens and followed as the API changes them (tenant-templates.ts); stopped with the process.
   */
  templates(): TenantTemplates;
  /** Messages sent through a provider that reports delivery later, until feedback or the timeout closes them. */
  messages: MessageLog;
  /** Closes logged messages on feedback or timeout, publishing and counting each once; connects on first use. */
  closer(): Promise<MessageCloser>;
  /**
   * Builds the channel handler with `spec`, starts the dispatch and retry lanes, and the feedback
   * timeout sweeper when the provider reports delivery later; stopping ends the sweeper, closes
   * `closables` in order, the provider, the status publisher, then the database.
   */
  run(spec: ChannelRunSpec, ...closables: Array<Closable | undefined>): Promise<RunningService>;
}

export async function openChannelProcess(channel: Channel, config: ChannelProcessConfig): Promise<ChannelProcess> {
  const service = `channel-${channel}`;
  const log = createLogger(service, config.LOG_LEVEL);
  const parts: ServiceParts = { service, config, log, metrics: createMetrics(service) };
  const metrics = createChannelMetrics(parts.metrics.registry);
  // One connection per concurrent handler call, and a few for the feedback routes.
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  try {
    await migrateToLatest(db);
    const kafka = kafkaFor(parts);
    const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
    const messages = new MessageLog(db);
    const claims = new ClaimStore(db);
    // Opens the contact points sealed with each user's own key, right before sending.
    const personal = new PersonalKeys(db, new Sealer(config.DATA_KEYS), { cacheMs: config.PERSONAL_KEYS_CACHE_MS });
    const contacts = new ContactCipher(config.DATA_KEYS, config.BLIND_INDEX_KEY);
    const templates = new TenantTemplates({ db, listenUrl: config.DATABASE_URL, dir: config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR, log });
    await templates.start();
    let publisher: Promise<StatusPublisher> | undefined;
    const startedPublisher = (): Promise<StatusPublisher> =>
      (publisher ??= (async () => {
        const started = new StatusPublisher(kafka, codec);
        await started.start();
        return started;
      })());
    const closer = async (): Promise<MessageCloser> => new MessageCloser({ messages, publisher: await startedPublisher(), metrics });
    return {
      channel,
      parts,
      log,
      db,
      contacts,
      kafka,
      codec,
      claims,
      metrics,
      messages,
      closer,
      templates: () => templates,
      run: async ({ provider, render, optOuts }, ...closables) => {
        const handler = createChannelHandler({
          channel,
          provider,
          claims,
          render,
          metrics,
          messages,
          retry: retryPolicyFor(channel, retryOverrides(config)),
          personal,
          ...(optOuts ? { optOuts } : {}),
        });
        // Connected before the lanes start, so a publisher that cannot start fails the start, not a sweep.
        const sweeping = provider.acceptanceIsDelivery ? undefined : await closer();
        let sweeper: FeedbackSweeper | undefined;
        const running = await startChannelService(
          parts,
          { channel, handler, deadLetter: channelDeadLetter(channel, provider.name) },
          {
            kafka,
            codec,
            onStop: async () => {
              await sweeper?.stop();
              for (const closable of [...closables, provider]) await closable?.close?.();
              await publisher?.then(
                (started) => started.stop(),
                () => undefined,
              );
              await templates.close();
              await db.destroy();
            },
          },
        );
        if (sweeping) {
          sweeper = startFeedbackSweeper({
            closer: sweeping,
            channel,
            timeoutMs: feedbackTimeoutMs(channel, config.FEEDBACK_TIMEOUT_MS),
            intervalMs: config.FEEDBACK_SWEEP_INTERVAL_MS,
            log,
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
export function providerOrSandbox(process: ChannelProcess, create: (() => ChannelProvider) | null, sandboxReason: string): ChannelProvider {
  if (create) return create();
  process.log.warn(`${process.channel} messages are recorded in channel_outbox, not sent (${sandboxReason})`);
  return new SandboxProvider(process.channel, new OutboxStore(process.db, process.contacts));
}
