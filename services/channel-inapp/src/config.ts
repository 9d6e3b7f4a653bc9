import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(16),
  /** Directory of template files (inapp.yaml, all.yaml); the bundled templates when empty. */
  TEMPLATES_DIR: z.string().default(''),
});

export type InappConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): InappConfig {
  return parseConfig(schema, env, 'channel-inapp');
}
