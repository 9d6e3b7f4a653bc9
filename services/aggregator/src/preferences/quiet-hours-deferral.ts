/**
 * Whether a notification waits for the recipient's quiet hours to end, and until when.
 *
 * Not deferred:
 * - in-app: it makes no sound and lands in the inbox the user reads when they choose to, so holding
 *   it back only makes the inbox stale when they next look;
 * - intents whose rule sets bypass_quiet_hours;
 * - mandatory critical intents: a margin call at 03:00 is exactly what the rule author made
 *   mandatory. A mandatory non-critical intent (a policy notice) still waits: it cannot be declined,
 *   but nothing is lost by delivering it in the morning.
 */
import type { Channel, Intent, Preferences, Recipient } from '@notify/schemas';
import { quietPeriodEnd, quietSchedule } from './quiet-hours';
import type { TimeZones } from './time-zones';

const SILENT_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['inapp']);

export function ignoresQuietHours(intent: Intent, channel: Channel): boolean {
  return SILENT_CHANNELS.has(channel) || intent.bypass_quiet_hours || (intent.mandatory && intent.severity === 'critical');
}

/** The instant to defer until, or null to send now. */
export function quietHoursDeferral(
  intent: Intent,
  channel: Channel,
  preferences: Preferences | null,
  recipient: Recipient | null,
  now: number,
  zones: TimeZones,
): number | null {
  if (!preferences || ignoresQuietHours(intent, channel)) return null;
  const schedule = quietSchedule(preferences.quiet_hours, recipient?.timezone ?? null, zones);
  return schedule ? quietPeriodEnd(schedule, now, zones) : null;
}
