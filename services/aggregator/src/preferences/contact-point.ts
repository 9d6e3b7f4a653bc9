/**
 * Whether a channel can reach the recipient at all, and where. No intent can bypass this: without an
 * address there is nothing to send to, and texting or calling an unverified number would reach
 * whoever typed it in (seed 000: phone verification exists to prevent spam).
 */
import { isTeamChannel, isTeamUserId, TEAM_CHANNELS, type Channel, type Recipient } from '@notify/schemas';
import { ownValue } from './own-value';
import { pushAddress } from './push-address';

export type ContactPoint =
  /** `address` is the resolved destination, or null when the channel worker resolves it itself. */
  { reachable: true; address: string | null } | { reachable: false; reason: 'no_address' | 'unverified'; detail: string };

const RESOLVED_BY_WORKER: ContactPoint = Object.freeze({ reachable: true, address: null });

/**
 * `userId` is whom the notification is for: a team pseudo-recipient (`#<team>`) has no record, and
 * its channel worker resolves the team's destination from configuration.
 */
export function contactPoint(channel: Channel, recipient: Recipient | null, userId: string | null = null): ContactPoint {
  if (userId !== null && isTeamUserId(userId)) {
    return isTeamChannel(channel) ? RESOLVED_BY_WORKER : unreachable('no_address', `a team is reached only on ${TEAM_CHANNELS.join(', ')}`);
  }
  // The inbox is keyed by user id and tenant webhooks are configured per tenant: neither needs
  // anything from the recipient record, so they work even before one is published.
  if (channel === 'inapp') return RESOLVED_BY_WORKER;
  if (channel === 'webhook') return { reachable: true, address: nonEmpty(recipient ? ownValue(recipient.chat, 'webhook') : undefined) };
  if (!recipient) return unreachable('no_address', `no recipient record, so no ${channel} address`);

  switch (channel) {
    case 'email':
      // email_verified is not required: the address comes from sign-up, and mail to a wrong address
      // bounces instead of reaching a stranger's phone.
      return reachableAt(recipient.email, 'no email address');
    case 'sms':
    case 'voice':
      if (!nonEmpty(recipient.phone)) return unreachable('no_address', 'no phone number');
      if (!recipient.phone_verified) return unreachable('unverified', 'phone number not verified');
      return reachableAt(recipient.phone, 'no phone number');
    case 'push':
      // Browsers and native apps alike: the address is all of them as one JSON array (push-address.ts).
      return reachableAt(pushAddress(recipient), 'no push device');
    case 'slack':
    case 'discord':
    case 'teams':
    case 'pagerduty':
      return reachableAt(ownValue(recipient.chat, channel), `no ${channel} destination`);
  }
}

function reachableAt(address: string | null | undefined, missing: string): ContactPoint {
  const value = nonEmpty(address);
  return value ? { reachable: true, address: value } : unreachable('no_address', missing);
}

function unreachable(reason: 'no_address' | 'unverified', detail: string): ContactPoint {
  return { reachable: false, reason, detail };
}

function nonEmpty(value: string | null | undefined): string | null {
  return value && value.trim().length > 0 ? value : null;
}
