/**
 * The push subscriptions a dispatch goes to, from its address: one subscription or an array of them,
 * in the browser's `PushSubscription.toJSON()` shape (`{endpoint, keys: {p256dh, auth}}`) or the flat
 * shape of Recipient.push_subscriptions (`{endpoint, p256dh, auth}`).
 */
import { PermanentError } from '@notify/errors';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

function targetOf(value: unknown): PushTarget | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as { endpoint?: unknown; p256dh?: unknown; auth?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
  const p256dh = v.keys?.p256dh ?? v.p256dh;
  const auth = v.keys?.auth ?? v.auth;
  if (typeof v.endpoint !== 'string' || typeof p256dh !== 'string' || typeof auth !== 'string') return undefined;
  return { endpoint: v.endpoint, p256dh, auth };
}

export function parseSubscriptions(address: string | null): PushTarget[] {
  if (address === null || address.trim() === '') throw new PermanentError('no_address', 'push dispatch carries no subscription');
  let parsed: unknown;
  try {
    parsed = JSON.parse(address);
  } catch {
    throw new PermanentError('invalid_address', 'push address is not subscription JSON');
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const targets = list.map(targetOf);
  if (targets.length === 0 || targets.some((t) => t === undefined)) throw new PermanentError('invalid_address', 'push address needs endpoint, p256dh and auth for every subscription');
  const byEndpoint = new Map((targets as PushTarget[]).map((t) => [t.endpoint, t]));
  return [...byEndpoint.values()];
}
