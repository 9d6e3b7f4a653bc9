import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to Discord; sandbox: record to the outbox table. Unset: http when DISCORD_DESTINATIONS is configured, else sandbox. */
  DISCORD_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /** JSON {"<tenant>": "https://discord.com/api/webhooks/<id>/<token>"}; "default" serves every other tenant. A dispatch's own address wins; a team's notification looks up "<tenant>/<team>" before "<tenant>". */
  DISCORD_DESTINATIONS: z.string().default('{}'),
  /** Many requests in flight per partition: sends are independent and Discord is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: DISCORD_ALLOW_NETWORKS, DISCORD_TIMEOUT_MS and DISCORD_CONNECTIONS. */
export type DiscordConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): DiscordConfig {
  return { ...parseConfig(schema, env, 'channel-discord'), http: httpProviderSettings(env, 'DISCORD') };
}
