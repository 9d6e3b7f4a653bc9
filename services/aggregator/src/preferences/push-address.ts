/**
 * The push address of a recipient: every device as one JSON array, which channel-push parses
 * (services/channel-push/src/push-targets.ts) and fans out to. Browsers keep the flat shape of
 * Recipient.push_subscriptions (`{endpoint, p256dh, auth}`), which every push worker reads; native
 * apps are `{platform, token, app_id, locale}` from Recipient.devices. Null when there is none.
 */
import type { Recipient } from '@notify/schemas';

export function pushAddress(recipient: Pick<Recipient, 'push_subscriptions' | 'devices'>): string | null {
  const targets: unknown[] = [
    ...recipient.push_subscriptions,
    ...recipient.devices.map((d) => ({ platform: d.platform, token: d.token, app_id: d.app_id, locale: d.locale })),
  ];
  return targets.length > 0 ? JSON.stringify(targets) : null;
}
