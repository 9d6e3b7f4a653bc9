/**
 * A STOP (or equivalent) the provider reported for this channel. It is a legal opt-out (TCPA and
 * carrier rules for SMS and voice), so unlike preferences it binds mandatory notifications too.
 */
import type { Recipient } from '@notify/schemas';

export function optedOutAtProvider(recipient: Recipient | null, channel: string): boolean {
  return recipient !== null && recipient.opted_out.includes(channel);
}
