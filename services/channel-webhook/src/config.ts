import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** JSON: {"<tenant>": {"url": "...", "secrets": ["whsec_..."]}}; "default" serves every other tenant. */
  WEBHOOK_ENDPOINTS: z.string().default('{}'),
  /** http: signed POSTs; sandbox: record to the outbox table. Unset: http when endpoints are configured, else sandbox. */
  WEBHOOK_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** CIDRs that may be dialled although private (tests, on-premise receivers), comma-separated. */
  WEBHOOK_ALLOW_NETWORKS: z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_CONNECTIONS: z.coerce.number().int().positive().default(64),
  /** Many requests in flight per partition: sends are independent and the provider is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type WebhookConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): WebhookConfig {
  return parseConfig(schema, env, 'channel-webhook');
}
