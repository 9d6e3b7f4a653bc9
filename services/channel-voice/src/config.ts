import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** twilio or sandbox (channel_outbox). Unset: twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else sandbox. */
  VOICE_PROVIDER: z.enum(['twilio', 'sandbox']).optional(),
  TWILIO_ACCOUNT_SID: z.string().default(''),
  TWILIO_AUTH_TOKEN: z.string().default(''),
  /** Caller id (E.164). */
  TWILIO_FROM: z.string().default(''),
  /** REST API origin; empty for api.twilio.com (tests point it at a local fake). */
  TWILIO_BASE_URL: z.string().default(''),
  TWILIO_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Port of the Twilio callback server (call status callbacks); 0 picks a free one. */
  FEEDBACK_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Public origin Twilio reaches the callback server at; http://127.0.0.1:<port> when empty. */
  FEEDBACK_PUBLIC_URL: z.string().default(''),
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
