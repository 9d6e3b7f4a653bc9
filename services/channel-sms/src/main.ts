/** Wiring of the SMS channel worker: Twilio (or the sandbox), its callback server, two consumer lanes. */
import {
  createSmsRenderer,
  openChannelProcess,
  openingSealedFields,
  openTwilio,
  OptOutStore,
  OutboxStore,
  SandboxProvider,
  usesTwilio,
  type ChannelProvider,
  type TwilioCallbacks,
} from '@notify/channel';
import { runMain, type RunningService } from '@notify/runner';
import { Sealer } from '@notify/schemas';
import { loadConfig } from './config';
import { TwilioSmsProvider } from './twilio-sms-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('sms', config);
  const optOuts = new OptOutStore(channel.db, channel.contacts);

  let provider: ChannelProvider;
  let callbacks: TwilioCallbacks | undefined;
  if (usesTwilio(config.SMS_PROVIDER, config)) {
    const twilio = await openTwilio(channel, config, { optOuts });
    callbacks = twilio.callbacks;
    provider = new TwilioSmsProvider({
      client: twilio.client,
      from: config.TWILIO_FROM,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      statusCallback: twilio.callbacks.statusCallback,
    });
  } else {
    channel.log.warn(
      config.SMS_PROVIDER
        ? 'SMS_PROVIDER=sandbox: SMS are recorded in channel_outbox, not sent'
        : 'no Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): using the sandbox provider (channel_outbox), nothing is sent',
    );
    provider = new SandboxProvider('sms', new OutboxStore(channel.db, channel.contacts));
  }

  if (!config.SEALING_KEYS) channel.log.warn('SEALING_KEYS not set: phone verification codes cannot be opened, and those SMS fail');
  // One-time codes arrive sealed; only this worker opens them, to send them.
  const render = openingSealedFields(
    createSmsRenderer(channel.templates(), config.SMS_MAX_SEGMENTS),
    config.SEALING_KEYS && new Sealer(config.SEALING_KEYS),
  );
  return channel.run({ provider, render, optOuts }, callbacks);
}

runMain(module, main);
