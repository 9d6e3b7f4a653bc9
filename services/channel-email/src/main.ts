/** Wiring of the email channel worker: SendGrid, SMTP or the sandbox; SendGrid's event webhook. */
import {
  BUNDLED_TEMPLATES_DIR, channelDeadLetter, ClaimStore, createChannelHandler, MessageLog, OptOutStore, OutboxStore, retryOverrides,
  retryPolicyFor, SandboxProvider, startChannelService, startFeedbackServer, StatusPublisher, TemplateBook, type ChannelProvider, type FeedbackServer,
} from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AvroCodec } from '@notify/kafka';
import { createLogger, createMetrics, kafkaFor, runMain, type RunningService, type ServiceParts } from '@notify/runner';
import { emailProviderKind, loadConfig } from './config';
import { createEmailRenderer } from './render';
import { sendGridEventsRoute, sendGridPublicKey } from './sendgrid-events';
import { SendGridEmailProvider } from './sendgrid-provider';
import { SmtpEmailProvider } from './smtp-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-email', config.LOG_LEVEL);
  const parts: ServiceParts = { service: 'channel-email', config, log, metrics: createMetrics('channel-email') };
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const kafka = kafkaFor(parts);
  const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
  const optOuts = new OptOutStore(db);
  const messages = new MessageLog(db);
  const kind = emailProviderKind(config);

  let provider: ChannelProvider;
  let feedback: FeedbackServer | undefined;
  let publisher: StatusPublisher | undefined;
  if (kind === 'sendgrid') {
    provider = new SendGridEmailProvider({ apiKey: config.SENDGRID_API_KEY, baseUrl: config.SENDGRID_BASE_URL, from: config.EMAIL_FROM, timeoutMs: config.EMAIL_TIMEOUT_MS });
    if (config.SENDGRID_WEBHOOK_PUBLIC_KEY) {
      publisher = new StatusPublisher(kafka, codec);
      await publisher.start();
      const route = sendGridEventsRoute({ publicKey: sendGridPublicKey(config.SENDGRID_WEBHOOK_PUBLIC_KEY), messages, publisher, optOuts });
      feedback = await startFeedbackServer(config.FEEDBACK_PORT, { '/sendgrid/events': route }, (error) => log.error({ err: error }, 'sendgrid event webhook failed'));
      log.info({ feedbackPort: feedback.port }, 'sendgrid event webhook: POST /sendgrid/events');
    } else {
      log.warn('SENDGRID_WEBHOOK_PUBLIC_KEY not set: no event webhook, emails stay `sent` (no delivered/bounce statuses)');
    }
  } else if (kind === 'smtp') {
    provider = new SmtpEmailProvider({ url: config.SMTP_URL, from: config.EMAIL_FROM, timeoutMs: config.EMAIL_TIMEOUT_MS, maxConnections: Math.min(16, config.WORKER_CONCURRENCY) });
  } else {
    log.warn(config.EMAIL_PROVIDER ? 'EMAIL_PROVIDER=sandbox: emails are recorded in channel_outbox, not sent' : 'no SENDGRID_API_KEY or SMTP_URL: using the sandbox provider (channel_outbox), nothing is sent');
    provider = new SandboxProvider('email', new OutboxStore(db));
  }
  if (!config.UNSUBSCRIBE_SECRET) log.warn('UNSUBSCRIBE_SECRET not set: unsubscribe links are not signed');

  const book = TemplateBook.fromDirectory(config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR);
  return startChannelService(parts, {
    channel: 'email',
    handler: createChannelHandler({
      channel: 'email', provider, claims: new ClaimStore(db),
      render: createEmailRenderer(book, { unsubscribeBaseUrl: config.UNSUBSCRIBE_BASE_URL, unsubscribeSecret: config.UNSUBSCRIBE_SECRET }),
      retry: retryPolicyFor('email', retryOverrides(config)), optOuts, messages,
    }),
    deadLetter: channelDeadLetter('email', provider.name),
  }, {
    kafka,
    codec,
    onStop: async () => {
      await feedback?.close();
      await publisher?.stop();
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
