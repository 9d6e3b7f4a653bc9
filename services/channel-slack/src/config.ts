import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const cidrList = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

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
  /** CIDRs that may be dialled although private (tests, on-premise proxies), comma-separated. */
  SLACK_ALLOW_NETWORKS: cidrList,
  SLACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SLACK_CONNECTIONS: z.coerce.number().int().positive().default(64),
  /** Many requests in flight per partition: sends are independent and Slack is the slow part. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type SlackConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): SlackConfig {
  return parseConfig(schema, env, 'channel-slack');
}
