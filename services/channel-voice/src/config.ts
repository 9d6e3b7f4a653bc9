import { channelRuntimeConfig, twilioRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** twilio or sandbox (channel_outbox). Unset: twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else sandbox. */
  VOICE_PROVIDER: z.enum(['twilio', 'sandbox']).optional(),
  ...twilioRuntimeConfig,
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(16),
});

export type VoiceConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): VoiceConfig {
  const config = parseConfig(schema, env, 'channel-voice');
  if (config.VOICE_PROVIDER === 'twilio' && (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_FROM)) {
    throw new Error('channel-voice: VOICE_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
  }
  return config;
}
