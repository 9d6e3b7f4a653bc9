/**
 * The devices a push dispatch goes to, from its address: one target or an array of them. Browsers
 * come in the browser's `PushSubscription.toJSON()` shape (`{endpoint, keys: {p256dh, auth}}`) or the
 * flat shape of Recipient.push_subscriptions (`{endpoint, p256dh, auth}`); native apps as
 * `{platform: "android" | "ios", token, app_id, locale}` from Recipient.devices (see the aggregator's
 * push-address.ts). An entry of a platform this worker does not know is skipped, so a newer writer's
 * record does not stop the devices it can reach.
 */
import { createHash } from 'node:crypto';
import { PermanentError } from '@notify/errors';
import { pushTargetKey } from '@notify/schemas';

export interface WebTarget {
  platform: 'web';
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface AppTarget {
  platform: 'android' | 'ios';
  token: string;
  /** Android package name or iOS bundle id: which settings (and APNs topic) the token belongs to. */
  app_id: string;
  /** The app's language when it differs from the recipient's. */
  locale: string | null;
}

export type PushTarget = WebTarget | AppTarget;

/** The destination's key in push_subscription_removals and the devices table (shared with the API). */
export function targetKey(target: PushTarget): string {
  return target.platform === 'web' ? target.endpoint : pushTargetKey(target);
}

/** A short digest of the key, for claim keys. */
export function targetHash(target: PushTarget): string {
  return createHash('sha256').update(targetKey(target)).digest('base64url').slice(0, 22);
}

/**
 * How a target is named in statuses: its platform, app or push host, and the end of its token,
 * enough to tell a user's devices apart without writing a usable token or endpoint into analytics.
 */
export function describeTarget(target: PushTarget): string {
  if (target.platform === 'web') {
    let host = 'unknown host';
    try {
      host = new URL(target.endpoint).host;
    } catch {
      // Left as unknown: an unparseable endpoint fails on its own when dialled.
    }
    return `web ${host} …${target.endpoint.slice(-8)}`;
  }
  return `${target.platform} ${target.app_id} …${target.token.slice(-8)}`;
}

function targetOf(value: unknown): PushTarget | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown> & { keys?: { p256dh?: unknown; auth?: unknown } };
  if (v.platform === 'android' || v.platform === 'ios') {
    if (typeof v.token !== 'string' || v.token === '' || typeof v.app_id !== 'string' || v.app_id === '') return undefined;
    return {
      platform: v.platform,
      token: v.token,
      app_id: v.app_id,
      locale: typeof v.locale === 'string' && v.locale !== '' ? v.locale : null,
    };
  }
  if (v.platform !== undefined && v.platform !== 'web') return undefined;
  const p256dh = v.keys?.p256dh ?? v.p256dh;
  const auth = v.keys?.auth ?? v.auth;
  if (typeof v.endpoint !== 'string' || typeof p256dh !== 'string' || typeof auth !== 'string') return undefined;
  return { platform: 'web', endpoint: v.endpoint, p256dh, auth };
}

export function parsePushTargets(address: string | null): PushTarget[] {
  if (address === null || address.trim() === '') throw new PermanentError('no_address', 'push dispatch carries no device');
  let parsed: unknown;
  try {
    parsed = JSON.parse(address);
  } catch {
    throw new PermanentError('invalid_address', 'push address is not device JSON');
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const targets = list.map(targetOf).filter((t): t is PushTarget => t !== undefined);
  if (targets.length === 0) {
    throw new PermanentError(
      'invalid_address',
      'push address names no usable device (a browser needs endpoint, p256dh and auth; an app platform, token and app_id)',
    );
  }
  return [...new Map(targets.map((t) => [targetKey(t), t])).values()];
}
