import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const positive = z.coerce.number().int().positive();

const schema = baseWorkerConfig.extend({
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  /** Comma-separated tenant:key pairs allowed to publish over HTTP. */
  INGEST_API_KEYS: z.string().default('default:dev-key'),
  /** Dedupe claims, Idempotency-Key answers, and operators' producer keys (table api_keys). */
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  DATABASE_POOL_SIZE: positive.default(8),
  /** How often stored keys are re-read: a new key works, and a revoked one stops, within this time. */
  API_KEYS_REFRESH_MS: positive.default(5000),
  /** Which parts run in this process: the HTTP gateway, the topic consumer, or both. */
  INGEST_ROLES: z
    .string()
    .default('http,consumer')
    .transform((s) => new Set(s.split(',').map((r) => r.trim()))),
  /**
   * Records of a chunk handled at once. Ingest's outputs keep their order whatever this is, and the
   * dedupe claims made at once are one statement, so as many as CHUNK_SIZE make one round trip per chunk.
   */
  WORKER_CONCURRENCY: positive.default(500),
  DEDUPE_WINDOW_MS: positive.default(10 * 60 * 1000),
  /** An Idempotency-Key's answer is kept this long (24 h). */
  IDEMPOTENCY_RETENTION_MS: positive.default(24 * 60 * 60 * 1000),
  /** A keyed request unanswered after this long is taken to have died; a retry of it may take the key over. */
  IDEMPOTENCY_LEASE_MS: positive.default(60_000),
  /** How often expired dedupe claims and Idempotency-Key answers are deleted. */
  PURGE_INTERVAL_MS: positive.default(60_000),
  HTTP_MAX_BATCH: positive.default(500),
  PRODUCE_LINGER_MS: z.coerce.number().int().min(0).default(2),
});

export type IngestConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): IngestConfig {
  return parseConfig(schema, env, 'ingest');
}
