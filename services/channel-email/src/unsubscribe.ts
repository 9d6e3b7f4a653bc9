/** One-click unsubscribe links: the recipient and channel, signed so the link cannot be forged for someone else. */
import { createHmac, timingSafeEqual } from 'node:crypto';

function signature(secret: string, recipient: string, channel: string): string {
  return createHmac('sha256', secret).update(`${recipient}\u0000${channel}`).digest('base64url');
}

export function unsubscribeUrl(base: string, secret: string, recipient: string, channel: string): string {
  const url = new URL(base);
  url.searchParams.set('r', recipient);
  url.searchParams.set('c', channel);
  if (secret) url.searchParams.set('s', signature(secret, recipient, channel));
  return url.href;
}

export function verifyUnsubscribe(secret: string, recipient: string, channel: string, given: string): boolean {
  const expected = Buffer.from(signature(secret, recipient, channel));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
