import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to Slack; sandbox: record to the outbox table. Unset: http when SLACK_DESTINATIONS is configured, else sandbox. */
  SLACK_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /**
   * JSON {"<tenant>": "<destination>"}; "default" serves every other tenant. A destination is an
   * incoming-webhook URL or a channel id for chat.postMessage. A dispatch's own address wins; a team's
   * notification (a rule's `team:`, "team" by default) looks up "<tenant>/<team>" before "<tenant>".
   */
  SLACK_DESTINATIONS: z.string().default('{}'),
  /** JSON {"<tenant>": "xoxb-..."}: bot tokens for chat.postMessage destinations. */
  SLACK_BOT_TOKENS: z.string().default('{}'),
  /** Base of the Web API; changed only for tests against a local Slack. */
  SLACK_API_URL: z.string().url().default('https://slack.com/api'),
  /** Many requests in flight per partition: sends are independent and Slack is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: SLACK_ALLOW_NETWORKS, SLACK_TIMEOUT_MS and SLACK_CONNECTIONS. */
export type SlackConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): SlackConfig {
  return { ...parseConfig(schema, env, 'channel-slack'), http: httpProviderSettings(env, 'SLACK') };
}
