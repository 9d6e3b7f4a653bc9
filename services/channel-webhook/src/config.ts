import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const FIVE_DAYS_MS = 5 * 24 * 3_600_000;

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** JSON: {"<tenant>": {"url": "...", "secrets": ["whsec_..."]}}; "default" serves every other tenant. */
  WEBHOOK_ENDPOINTS: z.string().default('{}'),
  /** http: signed POSTs; sandbox: record to the outbox table. Unset: http when endpoints are configured, else sandbox. */
  WEBHOOK_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** A tenant endpoint failing (no answer, 5xx, 408, 410) without a success for this long is disabled. 0: never. Default 5 days, as Svix. */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().nonnegative().default(FIVE_DAYS_MS),
  /** Consecutive sends without an answer (timeouts, refused connections) after which an endpoint's sends fail at once. */
  WEBHOOK_CIRCUIT_AFTER: z.coerce.number().int().positive().default(3),
  /** How long such an endpoint is refused before a retry may test it again. */
  WEBHOOK_CIRCUIT_OPEN_MS: z.coerce.number().int().positive().default(30_000),
  /** Many requests in flight per partition: sends are independent and the provider is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: WEBHOOK_ALLOW_NETWORKS, WEBHOOK_TIMEOUT_MS and WEBHOOK_CONNECTIONS. */
export type WebhookConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): WebhookConfig {
  return { ...parseConfig(schema, env, 'channel-webhook'), http: httpProviderSettings(env, 'WEBHOOK') };
}
