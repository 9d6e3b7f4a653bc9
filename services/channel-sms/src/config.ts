import { channelRuntimeConfig, twilioRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, sealingKeysSetting, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** twilio or sandbox (channel_outbox). Unset: twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else sandbox. */
  SMS_PROVIDER: z.enum(['twilio', 'sandbox']).optional(),
  ...twilioRuntimeConfig,
  /** A messaging service instead of TWILIO_FROM. */
  TWILIO_MESSAGING_SERVICE_SID: z.string().default(''),
  /** Most segments one SMS may take; longer texts are cut with an ellipsis. */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(2),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
  /** The API's SEALING_KEYS, to open the one-time codes of phone verifications; unset: those fail. */
  SEALING_KEYS: sealingKeysSetting.optional(),
});

export type SmsConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): SmsConfig {
  const config = parseConfig(schema, env, 'channel-sms');
  if (
    config.SMS_PROVIDER === 'twilio' &&
    (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID))
  ) {
    throw new Error(
      'channel-sms: SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID',
    );
  }
  return config;
}
