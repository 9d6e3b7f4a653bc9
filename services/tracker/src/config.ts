import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/notifications'),
  // The tracker writes a whole chunk in one statement (Handler.handleChunk); records need no parallelism.
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(1),
});

export type TrackerConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): TrackerConfig {
  return parseConfig(schema, env, 'tracker');
}
