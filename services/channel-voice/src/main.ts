/** Wiring of the voice channel worker: Twilio calls reading the message (or the sandbox), call status callbacks. */
import {
  createTemplateRenderer,
  openChannelProcess,
  openTwilio,
  OptOutStore,
  OutboxStore,
  SandboxProvider,
  usesTwilio,
  type ChannelProvider,
  type TwilioCallbacks,
} from '@notify/channel';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { TwilioVoiceProvider } from './twilio-voice-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('voice', config);

  let provider: ChannelProvider;
  let callbacks: TwilioCallbacks | undefined;
  if (usesTwilio(config.VOICE_PROVIDER, config)) {
    // Voice has no inbound STOP route. Opt-outs are kept per channel, so an SMS STOP does not stop calls;
    // a number is opted out of calls when Twilio refuses one with error 21610.
    const twilio = await openTwilio(channel, config);
    callbacks = twilio.callbacks;
    provider = new TwilioVoiceProvider({
      client: twilio.client,
      from: config.TWILIO_FROM,
      statusCallback: twilio.callbacks.statusCallback,
    });
  } else {
    channel.log.warn(
      config.VOICE_PROVIDER
        ? 'VOICE_PROVIDER=sandbox: calls are recorded in channel_outbox, not placed'
        : 'no Twilio credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): using the sandbox provider (channel_outbox), no call is placed',
    );
    provider = new SandboxProvider('voice', new OutboxStore(channel.db, channel.contacts));
  }

  return channel.run(
    { provider, render: createTemplateRenderer(channel.templates(), 'voice'), optOuts: new OptOutStore(channel.db, channel.contacts) },
    callbacks,
  );
}

runMain(module, main);
