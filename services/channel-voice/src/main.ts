/** Wiring of the voice channel worker: Twilio calls reading the message (or the sandbox), call status callbacks. */
import {
  BUNDLED_TEMPLATES_DIR, channelDeadLetter, ClaimStore, createChannelHandler, createTemplateRenderer, createTwilioClient, MessageLog, OptOutStore,
  OutboxStore, retryOverrides, retryPolicyFor, SandboxProvider, startChannelService, startTwilioCallbacks, TemplateBook, type ChannelProvider,
  type TwilioCallbacks,
} from '@notify/channel';
import { createDb, migrateToLatest } from '@notify/db';
import { AvroCodec } from '@notify/kafka';
import { createLogger, createMetrics, kafkaFor, runMain, type RunningService, type ServiceParts } from '@notify/runner';
import { loadConfig } from './config';
import { TwilioVoiceProvider } from './twilio-voice-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const log = createLogger('channel-voice', config.LOG_LEVEL);
  const parts: ServiceParts = { service: 'channel-voice', config, log, metrics: createMetrics('channel-voice') };
  const db = createDb(config.DATABASE_URL, Math.max(4, config.WORKER_CONCURRENCY));
  await migrateToLatest(db);
  const kafka = kafkaFor(parts);
  const codec = await AvroCodec.connect(config.SCHEMA_REGISTRY_URL, []);
  const messages = new MessageLog(db);
  const useTwilio = config.VOICE_PROVIDER ? config.VOICE_PROVIDER === 'twilio' : Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN);

  let provider: ChannelProvider;
  let callbacks: TwilioCallbacks | undefined;
  if (useTwilio) {
    const twilioCallbacks = await startTwilioCallbacks({
      kafka, codec, port: config.FEEDBACK_PORT, publicUrl: config.FEEDBACK_PUBLIC_URL, authToken: config.TWILIO_AUTH_TOKEN, messages, log,
    });
    callbacks = twilioCallbacks;
    provider = new TwilioVoiceProvider({
      client: createTwilioClient({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, baseUrl: config.TWILIO_BASE_URL, timeoutMs: config.TWILIO_TIMEOUT_MS, maxSockets: config.WORKER_CONCURRENCY * config.PARTITIONS_CONCURRENTLY }),
      from: config.TWILIO_FROM,
      statusCallback: twilioCallbacks.statusCallback,
    });
  } else {
    log.warn(config.VOICE_PROVIDER ? 'VOICE_PROVIDER=sandbox: calls are recorded in channel_outbox, not placed' : 'no Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): using the sandbox provider (channel_outbox), no call is placed');
    provider = new SandboxProvider('voice', new OutboxStore(db));
  }

  const book = TemplateBook.fromDirectory(config.TEMPLATES_DIR || BUNDLED_TEMPLATES_DIR);
  return startChannelService(parts, {
    channel: 'voice',
    handler: createChannelHandler({
      channel: 'voice', provider, claims: new ClaimStore(db), render: createTemplateRenderer(book, 'voice'),
      retry: retryPolicyFor('voice', retryOverrides(config)), optOuts: new OptOutStore(db), messages,
    }),
    deadLetter: channelDeadLetter('voice', provider.name),
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
