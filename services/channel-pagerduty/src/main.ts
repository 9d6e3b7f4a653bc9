/** Wiring of the PagerDuty channel worker. */
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard, GuardedJsonClient, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createPagerDutyHandler, pagerdutyDeadLetter } from './handler';
import { PagerDutyProvider } from './pagerduty-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('channel-pagerduty', config);
  const routingKeys = TenantDestinations.parse(config.PAGERDUTY_ROUTING_KEYS, 'PAGERDUTY_ROUTING_KEYS');
  const useSandbox = (config.PAGERDUTY_PROVIDER ?? (routingKeys.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(channel, 'pagerduty', useSandbox ? null : () => new PagerDutyProvider({
    http: new GuardedJsonClient({ guard: new AddressGuard(config.PAGERDUTY_ALLOW_NETWORKS), timeoutMs: config.PAGERDUTY_TIMEOUT_MS, connections: config.PAGERDUTY_CONNECTIONS }),
    routingKeys,
    eventsUrl: config.PAGERDUTY_EVENTS_URL,
  }), 'PAGERDUTY_PROVIDER=sandbox or no PAGERDUTY_ROUTING_KEYS');
  return channel.run({
    channel: 'pagerduty',
    handler: createPagerDutyHandler({ provider, claims: new ClaimStore(channel.db), render: createTemplateRenderer(channel.templates(), 'pagerduty'), retry: retryPolicyFor('pagerduty', retryOverrides(config)) }),
    deadLetter: pagerdutyDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
