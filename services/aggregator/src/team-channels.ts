/**
 * Channels a team destination covers. The router sends an event's team channels (slack, discord,
 * teams, pagerduty) to the team's pseudo-recipient once and lists them in each person's
 * `Intent.team_channels`. A person's notification on one of them exists only when they set a
 * destination of their own (Recipient.chat): otherwise the team's post is the delivery and the
 * person's notification never existed, so it is dropped with no status (the router reported no
 * `routed` for it either). One with a destination is decided like any other, `queued` (or `batched`,
 * `suppressed`) being its first status.
 */
import type { Intent, Recipient } from '@notify/schemas';
import { ownValue } from './preferences/own-value';

export function existsForRecipient(intent: Intent, channel: string, recipient: Recipient | null): boolean {
  if (!intent.team_channels.includes(channel)) return true;
  const own = recipient ? ownValue(recipient.chat, channel) : undefined;
  return own !== undefined && own.trim() !== '';
}
