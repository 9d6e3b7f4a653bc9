/** Wiring of the PagerDuty channel worker. */
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { GuardedJsonClient, guardedClientOptions, TenantDestinations } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { PagerDutyProvider } from './pagerduty-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const channel = await openChannelProcess('pagerduty', config);
  const routingKeys = TenantDestinations.parse(config.PAGERDUTY_ROUTING_KEYS, 'PAGERDUTY_ROUTING_KEYS');
  const useSandbox = (config.PAGERDUTY_PROVIDER ?? (routingKeys.isEmpty() ? 'sandbox' : 'http')) === 'sandbox';
  const provider = providerOrSandbox(
    channel,
    useSandbox
      ? null
      : () =>
          new PagerDutyProvider({
            http: new GuardedJsonClient(guardedClientOptions(config.http)),
            routingKeys,
            eventsUrl: config.PAGERDUTY_EVENTS_URL,
          }),
    'PAGERDUTY_PROVIDER=sandbox or no PAGERDUTY_ROUTING_KEYS',
  );
  return channel.run({ provider, render: createTemplateRenderer(channel.templates(), 'pagerduty') });
}

runMain(module, main);
