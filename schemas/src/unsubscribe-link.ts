/**
 * One-click unsubscribe links: channel-email signs them, the API's /v1/unsubscribe verifies them.
 * The link carries the recipient key (`r`, tenant/user), the channel (`c`) and an HMAC of both
 * (`s`), so nobody without the shared secret can unsubscribe someone else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query parameters of the link. */
export const UNSUBSCRIBE_PARAMS = { recipient: 'r', channel: 'c', signature: 's' } as const;

function signature(secret: string, recipient: string, channel: string): string {
  return createHmac('sha256', secret).update(`${recipient}\u0000${channel}`).digest('base64url');
}

/** The link for one recipient and channel; unsigned when there is no secret (the API refuses those). */
export function unsubscribeUrl(base: string, secret: string, recipient: string, channel: string): string {
  const url = new URL(base);
  url.searchParams.set(UNSUBSCRIBE_PARAMS.recipient, recipient);
  url.searchParams.set(UNSUBSCRIBE_PARAMS.channel, channel);
  if (secret) url.searchParams.set(UNSUBSCRIBE_PARAMS.signature, signature(secret, recipient, channel));
  return url.href;
}

/** False for an empty secret: an HMAC under an empty key is one anybody can compute. */
export function verifyUnsubscribe(secret: string, recipient: string, channel: string, given: string): boolean {
  if (!secret) return false;
  const expected = Buffer.from(signature(secret, recipient, channel));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
