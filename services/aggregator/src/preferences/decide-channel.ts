/**
 * Decides, for one channel of one intent, whether the aggregator sends it now, suppresses it or holds
 * it until quiet hours end. Pure: no I/O, the clock is an input, and nothing is mutated; the caller
 * records sends in its FrequencyWindow and re-decides deferred notifications when they come due.
 *
 * Checks run in this order, and the first that objects decides:
 * 1. The user's switches (channel off, type off on the channel) and severity filter: the user's own
 *    choice is the truest explanation. If they turned SMS off, reporting "unverified" would send
 *    support chasing a phone number that does not matter.
 * 2. Contact point (no address, unverified phone): no intent can bypass it, mandatory or not.
 * 3. Provider opt-out (STOP): a legal obligation, so it binds mandatory intents too. It comes after
 *    the contact point because an opt-out is only meaningful for an address we have.
 * 4. Frequency limit: only notifications that would otherwise go out use up the hourly allowance, so
 *    the count reflects what the user actually received.
 * 5. Quiet hours, last, because deferring is not final: only a notification that will really be sent
 *    is held, and nothing held would have been suppressed at step 1 to 4 anyway (the caller decides
 *    again when it is released, with the preferences of that moment).
 *
 * Mandatory intents skip 1 and 4 (the recipient cannot opt out of them) but not 2 and 3; quiet hours
 * are skipped only by mandatory critical ones (see quiet-hours-deferral.ts).
 *
 * A missing Preferences record means defaults: every channel on, severity filter `all`, no limits,
 * no quiet hours. A missing Recipient record means only in-app and webhook can deliver.
 */
import type { Channel, Intent, Preferences, Recipient } from '@notify/schemas';
import { SEND, suppress, type ChannelDecision } from './channel-decision';
import { preferenceOptOut } from './channel-opt-out';
import { contactPoint } from './contact-point';
import { frequencyLimitExceeded, type FrequencyCounts } from './frequency-limit';
import { optedOutAtProvider } from './provider-opt-out';
import { quietHoursDeferral } from './quiet-hours-deferral';
import { parseSeverityFilter, passesSeverityFilter } from './severity-filter';
import { TimeZones } from './time-zones';

export interface ChannelDecisionInput {
  intent: Intent;
  channel: Channel;
  /** The recipient's preferences; null when they never saved any. */
  preferences: Preferences | null;
  /** The recipient's profile and contact points; null when none is published. */
  recipient: Recipient | null;
  /** Sends per recipient and type over the last hour. */
  frequency: FrequencyCounts;
  /** Epoch ms. */
  now: number;
}

/**
 * `zones` caches time-zone formatters; pass the aggregator's long-lived instance. The default (a fresh
 * cache per call) is correct, only slower.
 */
export function decideChannel(input: ChannelDecisionInput, zones: TimeZones = new TimeZones()): ChannelDecision {
  const { intent, channel, preferences, recipient, frequency, now } = input;
  const honoursPreferences = preferences !== null && !intent.mandatory;

  if (honoursPreferences) {
    const optOut = preferenceOptOut(preferences, intent.type, channel);
    if (optOut) return suppress('preference', optOut);
    const filter = parseSeverityFilter(preferences.severity_filter);
    if (!passesSeverityFilter(intent.severity, filter))
      return suppress('severity_filter', `${intent.severity} is below the ${filter} filter`);
  }

  const contact = contactPoint(channel, recipient, intent.user_id);
  if (!contact.reachable) return suppress(contact.reason, contact.detail);

  if (optedOutAtProvider(recipient, channel)) return suppress('opted_out', `recipient replied STOP on ${channel}`);

  if (honoursPreferences) {
    const limited = frequencyLimitExceeded(preferences, frequency, intent.recipient, intent.type, now);
    if (limited) return suppress('frequency_limited', limited);
  }

  const until = quietHoursDeferral(intent, channel, preferences, recipient, now, zones);
  return until === null ? SEND : { kind: 'defer', until, reason: 'quiet_hours_deferred' };
}
