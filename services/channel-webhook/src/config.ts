import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** JSON: {"<tenant>": {"url": "...", "secrets": ["whsec_..."]}}; "default" serves every other tenant. */
  WEBHOOK_ENDPOINTS: z.string().default('{}'),
  /** http: signed POSTs; sandbox: record to the outbox table. Unset: http when endpoints are configured, else sandbox. */
  WEBHOOK_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** Many requests in flight per partition: sends are independent and the provider is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: WEBHOOK_ALLOW_NETWORKS, WEBHOOK_TIMEOUT_MS and WEBHOOK_CONNECTIONS. */
export type WebhookConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): WebhookConfig {
  return { ...parseConfig(schema, env, 'channel-webhook'), http: httpProviderSettings(env, 'WEBHOOK') };
}
