import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const cidrList = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** web-push: send through push services; sandbox: record to the outbox table. Unset: web-push when VAPID keys are set, else sandbox. */
  PUSH_PROVIDER: z.enum(['web-push', 'sandbox']).optional(),
  /** VAPID key pair (URL-safe base64, as `web-push generate-vapid-keys` prints them); required for web-push. */
  VAPID_PUBLIC_KEY: z.string().default(''),
  VAPID_PRIVATE_KEY: z.string().default(''),
  /** Contact for push services: a mailto: or https: URL. */
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must start with mailto: or https:').default('mailto:notifications@localhost'),
  /** How long the push service keeps an undelivered message for an offline device. */
  PUSH_TTL_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** Subscription endpoints come from browsers, so they are dialled through the address guard; CIDRs listed here may be private. */
  PUSH_ALLOW_NETWORKS: cidrList,
  /** PEM file with extra trusted certificates (an on-premise push gateway, the test push service). */
  PUSH_EXTRA_CA_FILE: z.string().default(''),
  PUSH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PUSH_CONNECTIONS: z.coerce.number().int().positive().default(64),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type PushConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): PushConfig {
  return parseConfig(schema, env, 'channel-push');
}
