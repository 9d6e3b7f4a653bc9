/** Wiring of the web-push channel worker. */
import { readFileSync } from 'node:fs';
import { ClaimStore, createTemplateRenderer, openChannelProcess, providerOrSandbox, retryOverrides, retryPolicyFor } from '@notify/channel';
import { AddressGuard } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { loadConfig } from './config';
import { createPushHandler, pushDeadLetter } from './handler';
import { PushProvider } from './push-provider';
import { RemovalStore } from './removal-store';
import { checkVapid } from './vapid';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const kind = config.PUSH_PROVIDER ?? (config.VAPID_PRIVATE_KEY ? 'web-push' : 'sandbox');
  // Checked before anything is opened: bad keys should stop the worker at once.
  const vapid = kind === 'web-push' ? checkVapid({ subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY }) : undefined;
  const channel = await openChannelProcess('channel-push', config);
  const claims = new ClaimStore(channel.db);
  const provider = providerOrSandbox(channel, 'push', vapid ? () => new PushProvider({
    vapid,
    claims,
    removals: new RemovalStore(channel.db),
    guard: new AddressGuard(config.PUSH_ALLOW_NETWORKS),
    ttlSeconds: config.PUSH_TTL_SECONDS,
    timeoutMs: config.PUSH_TIMEOUT_MS,
    connections: config.PUSH_CONNECTIONS,
    ...(config.PUSH_EXTRA_CA_FILE ? { ca: readFileSync(config.PUSH_EXTRA_CA_FILE, 'utf8') } : {}),
  }) : null, 'PUSH_PROVIDER=sandbox or no VAPID keys');
  return channel.run({
    channel: 'push',
    handler: createPushHandler({ provider, claims, render: createTemplateRenderer(channel.templates(), 'push'), retry: retryPolicyFor('push', retryOverrides(config)) }),
    deadLetter: pushDeadLetter(provider),
    provider,
  });
}

runMain(module, main);
