import { channelRuntimeConfig } from '@notify/channel';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

const cidrList = z.string().default('').transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const schema = baseWorkerConfig.extend({
  ...channelRuntimeConfig,
  /** http: send to PagerDuty; sandbox: record to the outbox table. Unset: http when PAGERDUTY_ROUTING_KEYS is configured, else sandbox. */
  PAGERDUTY_PROVIDER: z.enum(['http', 'sandbox']).optional(),
  /**
   * JSON {"<tenant>": "<Events API v2 integration (routing) key>"}; "default" serves every other tenant. A dispatch's
   * own address wins; a team's notification looks up "<tenant>/<team>" before "<tenant>".
   */
  PAGERDUTY_ROUTING_KEYS: z.string().default('{}'),
  /** Base of the Events API; changed only for tests against a local PagerDuty or for the EU region. */
  PAGERDUTY_EVENTS_URL: z.string().url().default('https://events.pagerduty.com'),
  /** CIDRs that may be dialled although private (tests), comma-separated. */
  PAGERDUTY_ALLOW_NETWORKS: cidrList,
  PAGERDUTY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PAGERDUTY_CONNECTIONS: z.coerce.number().int().positive().default(32),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

export type PagerDutyConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined>): PagerDutyConfig {
  return parseConfig(schema, env, 'channel-pagerduty');
}
