import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const cidrList = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to Discord; sandbox: record to the outbox table. Unset: http when DISCORD_DESTINATIONS is configured, else sandbox. */
  DISCORD_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** JSON {"<tenant>": "https://discord.com/api/webhooks/<id>/<token>"}; "default" serves every other tenant. A dispatch's own address wins; a team's notification looks up "<tenant>/<team>" before "<tenant>". */
  DISCORD_DESTINATIONS: z.string().default('{}'),
  /** CIDRs that may be dialled although private (tests, on-premise proxies), comma-separated. */
  DISCORD_ALLOW_NETWORKS: cidrList,
  DISCORD_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  DISCORD_CONNECTIONS: z.coerce.number().int().positive().default(64),
  /** Many requests in flight per partition: sends are independent and Discord is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type DiscordConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): DiscordConfig {
  return parseConfig(schema, env, 'channel-discord');
}
