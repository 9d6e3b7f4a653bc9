/**
 * Configuration is parsed once, from an environment object handed in by main.ts, against a zod
 * schema; anything missing or malformed stops the process with every problem listed.
 */
import { readFileSync } from 'node:fs';
import { parseSealingKeys } from '@notify/schemas';
import { z } from 'zod';

export class ConfigError extends Error {}

/** Secrets that may come from a mounted file instead: `<NAME>_FILE` holds the path (Kubernetes or Docker secrets). */
const SECRETS_FROM_FILES = ['DATA_KEYS', 'BLIND_INDEX_KEY', 'SEALING_KEYS', 'CODE_HASH_SECRET', 'UNSUBSCRIBE_SECRET'] as const;

function withSecretFiles(env: Record<string, string | undefined>, service: string): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SECRETS_FROM_FILES) {
    const path = env[`${name}_FILE`];
    if (!path || env[name] !== undefined) continue;
    try {
      out[name] = readFileSync(path, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `${service}: invalid configuration\n  ${name}_FILE: cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return out;
}

export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>, service: string): z.infer<S> {
  const result = schema.safeParse(withSecretFiles(env, service));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`).join('\n');
    throw new ConfigError(`${service}: invalid configuration\n${problems}`);
  }
  return result.data;
}

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().int().positive();

/** Settings every Kafka worker shares. */
export const baseWorkerConfig = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  /** Prefix of every topic and consumer group name, to share a cluster between environments. */
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  SCHEMA_REGISTRY_URL: z.string().url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of /health, /health/ready and /metrics; 0 picks a free one. */
  OPS_PORT: port.default(0),
  /** Records of one partition handled at once; ordering within a key is kept only at 1. */
  WORKER_CONCURRENCY: positive.default(1),
  PARTITIONS_CONCURRENTLY: positive.default(3),
  /** Records per produce-and-commit unit inside a fetched batch. */
  CHUNK_SIZE: positive.default(500),
  /** Suffix for the consumer group id, so test runs and parallel stacks do not share offsets. */
  GROUP_SUFFIX: z.string().default(''),
  /** How often consumer lag is read from the group's committed offsets, so kafka_consumer_lag is fresh when idle. */
  LAG_REFRESH_MS: positive.default(10_000),
  /** OTLP/HTTP base URL of a trace collector (spans go to <url>/v1/traces); unset: traces are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Full URL for traces, overriding the base URL above (the OpenTelemetry convention). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** Only OTLP over HTTP with JSON bodies is built in. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json']).default('http/json'),
  /** Milliseconds between span exports. */
  OTEL_BSP_SCHEDULE_DELAY: positive.default(1000),
});

export type BaseWorkerConfig = z.infer<typeof baseWorkerConfig>;

/**
 * SEALING_KEYS (`kid:<base64 of 32 bytes>`, comma separated, the first seals): the keys of values
 * sealed for one service (see Sealer in @notify/schemas). Parsed here so every service reads them alike.
 */
export const sealingKeysSetting = z.string().transform((text, ctx) => {
  try {
    const keys = parseSealingKeys(text);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one key' });
    return keys;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});
/**
 * DATA_KEYS (same form as SEALING_KEYS; or DATA_KEYS_FILE): the keys of personal data. They encrypt
 * contact points at rest in Postgres and wrap each user's own data key, which seals the user's contact
 * points in Kafka records (see PersonalSealer in @notify/db). BLIND_INDEX_KEY (at least 32 characters;
 * or BLIND_INDEX_KEY_FILE): the HMAC key of the lookup columns that stand in for an encrypted value.
 */
export const personalDataConfig = {
  DATA_KEYS: sealingKeysSetting,
  BLIND_INDEX_KEY: z.string({ error: 'is required (at least 32 characters)' }).min(32, 'must be at least 32 characters'),
  /** How long a user's data key is remembered: an erased user's values stop opening at most this long after. */
  PERSONAL_KEYS_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
};
export { z };
