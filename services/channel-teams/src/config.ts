import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to Teams; sandbox: record to the outbox table. Unset: http when TEAMS_DESTINATIONS is configured, else sandbox. */
  TEAMS_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** JSON {"<tenant>": "<Workflows webhook URL>"}; "default" serves every other tenant. A dispatch's own address wins; a team's notification looks up "<tenant>/<team>" before "<tenant>". */
  TEAMS_DESTINATIONS: z.string().default('{}'),
  /** Many requests in flight per partition: sends are independent and Teams is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: TEAMS_ALLOW_NETWORKS, TEAMS_TIMEOUT_MS and TEAMS_CONNECTIONS. */
export type TeamsConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): TeamsConfig {
  return { ...parseConfig(schema, env, 'channel-teams'), http: httpProviderSettings(env, 'TEAMS') };
}
