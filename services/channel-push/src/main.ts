/** Wiring of the push channel worker: Web Push, FCM and APNs senders as configured. */
import { readFileSync } from 'node:fs';
import { createTemplateRenderer, openChannelProcess, providerOrSandbox } from '@notify/channel';
import { AddressGuard } from '@notify/provider-http';
import { runMain, type RunningService } from '@notify/runner';
import { ApnsSender } from './apns/apns-sender';
import { loadConfig } from './config';
import { apnsApps, fcmProjects } from './credentials';
import { FcmSender } from './fcm/fcm-sender';
import { contentFor } from './push-payload';
import { PushProvider, type PushSenders } from './push-provider';
import { RemovalStore } from './removal-store';
import { unreadCount } from './unread-count';
import { checkVapid } from './vapid';
import { WebPushSender } from './web/web-push-sender';

export async function main(env: Record<string, string | undefined> = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const configured = Boolean(config.VAPID_PRIVATE_KEY) || !config.fcmApps.isEmpty() || !config.apnsApps.isEmpty();
  const live = config.PUSH_PROVIDER === undefined ? configured : config.PUSH_PROVIDER !== 'sandbox';
  if (live && !configured)
    throw new Error(
      'channel-push: PUSH_PROVIDER asks for live sends but none is configured (VAPID keys, FCM_APPS or FCM_SERVICE_ACCOUNT_FILE, APNS_APPS or APNS_KEY_FILE)',
    );
  // Checked before anything is opened: bad keys should stop the worker at once.
  const vapid =
    live && config.VAPID_PRIVATE_KEY
      ? checkVapid({ subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY })
      : undefined;
  const projects = live ? fcmProjects(config.fcmApps) : undefined;
  const apps = live ? apnsApps(config.apnsApps) : undefined;
  const ca = config.PUSH_EXTRA_CA_FILE ? readFileSync(config.PUSH_EXTRA_CA_FILE, 'utf8') : undefined;

  const channel = await openChannelProcess('push', config);
  const render = createTemplateRenderer(channel.templates(), 'push');
  const content = contentFor(config.PUSH_TTL_SECONDS);
  const transport = { timeoutMs: config.http.timeoutMs, ...(ca ? { ca } : {}) };
  const senders = (): PushSenders => ({
    ...(vapid
      ? {
          web: new WebPushSender({
            vapid,
            guard: new AddressGuard(config.http.allowNetworks),
            connections: config.http.connections,
            content,
            ...transport,
          }),
        }
      : {}),
    ...(projects && !projects.isEmpty()
      ? { android: new FcmSender({ projects, connections: config.http.connections, content, ...transport }) }
      : {}),
    ...(apps && !apps.isEmpty() ? { ios: new ApnsSender({ apps, content, ...transport }) } : {}),
  });
  const provider = providerOrSandbox(
    channel,
    live
      ? () =>
          new PushProvider({
            claims: channel.claims,
            removals: new RemovalStore(channel.db, channel.contacts),
            senders: senders(),
            render,
            unread: unreadCount(channel.db),
          })
      : null,
    'PUSH_PROVIDER=sandbox or nothing configured',
  );
  return channel.run({ provider, render });
}

runMain(module, main);
