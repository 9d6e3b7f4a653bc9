/** Wiring of the webhook channel worker. */
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createWebhookHandler, webhookDeadLetter } from './handler';
import { parseEndpoints } from './endpoints';
import { WebhookProvider } from './webhook-provider';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const endpoints = parseEndpoints(config.WEBHOOK_ENDPOINTS);
  const channel = await openChannelProcess('channel-webhook', config);
  const useSandbox = (config.WEBHOOK_PROVIDER ?? (endpoints.size > 0 ? 'http' : 'sandbox')) === 'sandbox';
  const provider = providerOrSandbox(channel, 'webhook', useSandbox ? null : () => new WebhookProvider({
    endpoints, guard: new AddressGuard(config.WEBHOOK_ALLOW_NETWORKS), timeoutMs: config.WEBHOOK_TIMEOUT_MS, connections: config.WEBHOOK_CONNECTIONS,
  }), 'WEBHOOK_PROVIDER=sandbox or no WEBHOOK_ENDPOINTS');
  return channel.run({
    channel: 'webhook',
    handler: createWebhookHandler({ provider, claims: new ClaimStore(channel.db), render: createTemplateRenderer(channel.templates(), 'webhook'), retry: retryPolicyFor('webhook', retryOverrides(config)) }),
    deadLetter: webhookDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
