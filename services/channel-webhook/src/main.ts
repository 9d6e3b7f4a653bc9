/** Wiring of the webhook channel worker. */
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { guardedClientOptions } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { EndpointCircuits } from './endpoint-circuit';
import { parseEndpoints } from './endpoints';
import { HealthCheckedProvider } from './health-checked-provider';
import { HealthStore } from './health-store';
import { userSecretsFrom } from './user-secrets';
import { WebhookProvider } from './webhook-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const endpoints = parseEndpoints(config.WEBHOOK_ENDPOINTS);
  const channel = await openChannelProcess('webhook', config);
  const useSandbox = (config.WEBHOOK_PROVIDER ?? (endpoints.size > 0 ? 'http' : 'sandbox')) === 'sandbox';
  const provider = providerOrSandbox(
    channel,
    useSandbox
      ? null
      : () =>
          new HealthCheckedProvider({
            inner: new WebhookProvider({ endpoints, userSecrets: userSecretsFrom(channel.db), ...guardedClientOptions(config.http) }),
            endpoints,
            store: new HealthStore(channel.db),
            circuits: new EndpointCircuits({ after: config.WEBHOOK_CIRCUIT_AFTER, openMs: config.WEBHOOK_CIRCUIT_OPEN_MS }),
            policy: { disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS },
            log: channel.log,
          }),
    'WEBHOOK_PROVIDER=sandbox or no WEBHOOK_ENDPOINTS',
  );
  return channel.run({ provider, render: createTemplateRenderer(channel.templates(), 'webhook') });
}

runMain(module, main);
