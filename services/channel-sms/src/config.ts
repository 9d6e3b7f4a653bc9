import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** twilio or sandbox (channel_outbox). Unset: twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else sandbox. */
  SMS_PROVIDER: z.enum(['twilio', 'sandbox']).optional(),
  TWILIO_ACCOUNT_SID: z.string().default(''),
  TWILIO_AUTH_TOKEN: z.string().default(''),
  /** Sender number (E.164); or a messaging service. */
  TWILIO_FROM: z.string().default(''),
  TWILIO_MESSAGING_SERVICE_SID: z.string().default(''),
  /** REST API origin; empty for api.twilio.com (tests point it at a local fake). */
  TWILIO_BASE_URL: z.string().default(''),
  TWILIO_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Most segments one SMS may take; longer texts are cut with an ellipsis. */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(2),
  /** Port of the Twilio callback server (status callbacks, inbound STOP); 0 picks a free one. */
  FEEDBACK_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Public origin Twilio reaches the callback server at; http://127.0.0.1:<port> when empty. */
  FEEDBACK_PUBLIC_URL: z.string().default(''),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type SmsConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): SmsConfig {
  const config = parseConfig(schema, env, 'channel-sms');
  if (config.SMS_PROVIDER === 'twilio' && (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID))) {
    throw new Error('channel-sms: SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID');
  }
  return config;
}
