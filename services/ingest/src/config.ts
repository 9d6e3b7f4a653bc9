import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** Comma-separated tenant:key pairs allowed to publish over HTTP. */
  INGEST_API_KEYS: z.string().default('default:dev-key'),
  /** Where operators' producer keys live (table api_keys); unset, only INGEST_API_KEYS are accepted. */
  DATABASE_URL: z.string().optional(),
  /** How often stored keys are re-read: a new key works, and a revoked one stops, within this time. */
  API_KEYS_REFRESH_MS: z.coerce.number().int().positive().default(5000),
  /** Which parts run in this process: the HTTP gateway, the topic consumer, or both. */
  INGEST_ROLES: z.string().default('http,consumer').transform((s) => new Set(s.split(',').map((r) => r.trim()))),
  DEDUPE_WINDOW_MS: z.coerce.number().int().positive().default(10 * 60 * 1000),
  DEDUPE_MAX_KEYS: z.coerce.number().int().positive().default(1_000_000),
  HTTP_MAX_BATCH: z.coerce.number().int().positive().default(500),
  PRODUCE_LINGER_MS: z.coerce.number().int().min(0).default(2),
});

export type IngestConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  return parseConfig(schema, env, 'ingest');
}
