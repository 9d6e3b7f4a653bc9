import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const positive = z.coerce.number().int().positive();

const schema = baseWorkerConfig.extend({
  /** A directory of *.yaml rule files (one per tenant) or a single file; mounted from a ConfigMap in Kubernetes. */
  RULES_PATH: z.string().min(1).default('services/router/rules.example.yaml'),
  RULES_POLL_MS: positive.default(2000),
  /** Postgres holding the audience index (table audience_members). */
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  /** Audience members routed per fan-out page: what one page holds in memory and produces in one batch. */
  FANOUT_PAGE_SIZE: positive.max(50_000).default(1000),
  /** Fan-out partitions worked on at once; memory is about this many pages. */
  FANOUT_PARTITIONS_CONCURRENTLY: positive.default(2),
});

export type RouterConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): RouterConfig {
  return parseConfig(schema, env, 'router');
}
