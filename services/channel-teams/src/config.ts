import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const cidrList = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to Teams; sandbox: record to the outbox table. Unset: http when TEAMS_DESTINATIONS is configured, else sandbox. */
  TEAMS_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** JSON {"<tenant>": "<Workflows webhook URL>"}; "default" serves every other tenant. A dispatch's own address wins; a team's notification looks up "<tenant>/<team>" before "<tenant>". */
  TEAMS_DESTINATIONS: z.string().default('{}'),
  /** CIDRs that may be dialled although private (tests, on-premise proxies), comma-separated. */
  TEAMS_ALLOW_NETWORKS: cidrList,
  TEAMS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  TEAMS_CONNECTIONS: z.coerce.number().int().positive().default(64),
  /** Many requests in flight per partition: sends are independent and Teams is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type TeamsConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): TeamsConfig {
  return parseConfig(schema, env, 'channel-teams');
}
