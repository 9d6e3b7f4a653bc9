import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** sendgrid, smtp or sandbox (channel_outbox). Unset: sendgrid with SENDGRID_API_KEY, smtp with SMTP_URL, else sandbox. */
  EMAIL_PROVIDER: z.enum(['sendgrid', 'smtp', 'sandbox']).optional(),
  EMAIL_FROM: z.string().default('notifications@example.com'),
  SENDGRID_API_KEY: z.string().default(''),
  /** v3 API origin; tests point it at a local fake. */
  SENDGRID_BASE_URL: z.string().url().default('https://api.sendgrid.com'),
  /** Event webhook verification key (base64 DER or PEM) from SendGrid's Mail Settings; events are refused without it. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().default(''),
  /** smtp://user:pass@host:port or smtps://...; pooled connections. */
  SMTP_URL: z.string().default(''),
  EMAIL_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Base of the one-click unsubscribe link: the API's public /v1/unsubscribe. The recipient, channel
   * and an HMAC are appended; the API verifies it with the same UNSUBSCRIBE_SECRET.
   */
  UNSUBSCRIBE_BASE_URL: z.string().url().default('https://notify.example.com/v1/unsubscribe'),
  /** Shared with the API; empty leaves links unsigned, and the API refuses unsigned links. */
  UNSUBSCRIBE_SECRET: z.string().default(''),
  /** Port of the SendGrid event webhook (POST /sendgrid/events); 0 picks a free one. */
  FEEDBACK_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type EmailConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): EmailConfig {
  const config = parseConfig(schema, env, 'channel-email');
  if (config.EMAIL_PROVIDER === 'sendgrid' && !config.SENDGRID_API_KEY)
    throw new Error('channel-email: EMAIL_PROVIDER=sendgrid needs SENDGRID_API_KEY');
  if (config.EMAIL_PROVIDER === 'smtp' && !config.SMTP_URL) throw new Error('channel-email: EMAIL_PROVIDER=smtp needs SMTP_URL');
  return config;
}

export function emailProviderKind(config: EmailConfig): 'sendgrid' | 'smtp' | 'sandbox' {
  return config.EMAIL_PROVIDER ?? (config.SENDGRID_API_KEY ? 'sendgrid' : config.SMTP_URL ? 'smtp' : 'sandbox');
}
