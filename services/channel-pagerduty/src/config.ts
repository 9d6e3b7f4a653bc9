import { channelRuntimeConfig } from '@notify/channel';
import { httpProviderSettings, type HttpProviderSettings } from '@notify/provider-http';
import { baseWorkerConfig, parseConfig, z } from '@notify/runner';

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
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
});

/** `http`: PAGERDUTY_ALLOW_NETWORKS, PAGERDUTY_TIMEOUT_MS and PAGERDUTY_CONNECTIONS. */
export type PagerDutyConfig = z.infer<typeof schema> & { http: HttpProviderSettings };

export function loadConfig(env: Record<string, string | undefined>): PagerDutyConfig {
  return { ...parseConfig(schema, env, 'channel-pagerduty'), http: httpProviderSettings(env, 'PAGERDUTY', { connections: 32 }) };
}
