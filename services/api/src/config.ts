import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8003),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** HS256 secret of user and operator tokens; short secrets are brute-forceable. */
  JWT_SECRET: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
  /** HMAC key of phone verification codes (at least 32 characters, not the JWT secret). */
  CODE_HASH_SECRET: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
  /**
   * HMAC key of the one-click unsubscribe links channel-email puts in every email (its
   * UNSUBSCRIBE_SECRET: both must hold the same value). Empty: /v1/unsubscribe refuses every link.
   */
  UNSUBSCRIBE_SECRET: z.string().default(''),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Names this replica's own notifications.inbox consumer group; random when unset. */
  API_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
  WS_PING_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** Rows per query when a reconnecting client catches up from its cursor. */
  WS_CATCHUP_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  /** Extra consumer groups for GET /v1/admin/lag, as JSON [{"service","group","topics":[...]}]. */
  LAG_GROUPS: z.string().default(''),
  /** The shipped templates (channel workers' TEMPLATES_DIR); empty: the bundled ones. */
  TEMPLATES_DIR: z.string().default(''),
  /** channel-email's UNSUBSCRIBE_BASE_URL, so an email preview carries the link the worker puts in. */
  UNSUBSCRIBE_BASE_URL: z.string().url().default('https://notify.example.com/v1/unsubscribe'),
  /** channel-sms's SMS_MAX_SEGMENTS, so an SMS preview is cut where the worker cuts it. */
  SMS_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(2),
});

export type ApiConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): ApiConfig {
  return parseConfig(schema, env, 'api');
}
