/**
 * Deterministic ids. Redelivered input must produce the same ids, so every downstream claim,
 * de-duplication and status lines up with the first attempt.
 */
import { createHash } from 'node:crypto';

function hashId(prefix: string, parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return `${prefix}_${h.digest('base64url').slice(0, 26)}`;
}

export const recipientKey = (tenant: string, userId: string): string => `${tenant}/${userId}`;

export function splitRecipientKey(key: string): { tenant: string; userId: string } {
  const slash = key.indexOf('/');
  if (slash <= 0) throw new Error(`not a recipient key: ${key}`);
  return { tenant: key.slice(0, slash), userId: key.slice(slash + 1) };
}

export const intentId = (eventId: string, recipient: string): string => hashId('int', [eventId, recipient]);

export const notificationId = (eventId: string, recipient: string, channel: string): string => hashId('ntf', [eventId, recipient, channel]);
