/** Wiring of the SMS channel worker: Twilio (or the sandbox), its callback server, two consumer lanes. */
import {
  BUNDLED_TEMPLATES_DIR, channelDeadLetter, ClaimStore, createChannelHandler, createTwilioClient, MessageLog, OptOutStore, OutboxStore,
  retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, startTwilioCallbacks, TemplateBook, type ChannelProvider, type TwilioCallbacks,
} from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AvroCodec } from '@notify/kafka';
import { createLogger, createMetrics, kafkaFor, runMain, type RunningService, type ServiceParts } from '@notify/runner';
import { loadConfig } from './config';
import { createSmsRenderer } from './render';
import { TwilioSmsProvider } from './twilio-sms-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-sms', config.LOG_LEVEL);
  const parts: ServiceParts = { service: 'channel-sms', config, log, metrics: createMetrics('channel-sms') };
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const kafka = kafkaFor(parts);
  const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
  const optOuts = new OptOutStore(db);
  const messages = new MessageLog(db);
  const useTwilio = config.SMS_PROVIDER ? config.SMS_PROVIDER === 'twilio' : Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN);

  let provider: ChannelProvider;
  let callbacks: TwilioCallbacks | undefined;
  if (useTwilio) {
    const twilioCallbacks = await startTwilioCallbacks({
      kafka, codec, port: config.FEEDBACK_PORT, publicUrl: config.FEEDBACK_PUBLIC_URL, authToken: config.TWILIO_AUTH_TOKEN, messages, optOuts, log,
    });
    callbacks = twilioCallbacks;
    provider = new TwilioSmsProvider({
      client: createTwilioClient({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, baseUrl: config.TWILIO_BASE_URL, timeoutMs: config.TWILIO_TIMEOUT_MS, maxSockets: config.WORKER_CONCURRENCY * config.PARTITIONS_CONCURRENTLY }),
      from: config.TWILIO_FROM,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      statusCallback: twilioCallbacks.statusCallback,
    });
  } else {
    log.warn(config.SMS_PROVIDER ? 'SMS_PROVIDER=sandbox: SMS are recorded in channel_outbox, not sent' : 'no Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): using the sandbox provider (channel_outbox), nothing is sent');
    provider = new SandboxProvider('sms', new OutboxStore(db));
  }

  const book = TemplateBook.fromDirectory(config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR);
  return startChannelService(parts, {
    channel: 'sms',
    handler: createChannelHandler({
      channel: 'sms', provider, claims: new ClaimStore(db), render: createSmsRenderer(book, config.SMS_MAX_SEGMENTS),
      retry: retryPolicyFor('sms', retryOverrides(config)), optOuts, messages,
    }),
    deadLetter: channelDeadLetter('sms', provider.name),
  }, {
    kafka,
    codec,
    onStop: async () => {
      await callbacks?.close();
      await provider.close?.();
      await db.destroy();
    },
  });
}

runMain(module, main);
