/**
 * Quiet hours: a daily period between two local times of day in the recipient's zone, which may cross
 * midnight (22:00–07:00). Equal start and end mean no quiet hours (not "all day": a user who wants
 * nothing turns channels off).
 *
 * Each day's period is turned into instants [start, end) and `now` is compared with those, rather
 * than comparing wall-clock readings. Around DST that is what makes "the end of the current period"
 * a single well-defined instant: local times resolve as TimeZones.toInstant documents (the first
 * occurrence of a repeated time, the transition for a skipped one), and a repeated hour after the
 * period has ended does not start it again.
 */
import type { QuietHours } from '@notify/schemas';
import { parseClockTime } from './clock-time';
import { DAY_MS, type TimeZones } from './time-zones';

const MINUTE_MS = 60 * 1000;

export interface QuietSchedule {
  /** Minutes after local midnight. */
  readonly startMinute: number;
  readonly endMinute: number;
  /** A valid IANA zone. */
  readonly zone: string;
}

/**
 * The schedule to apply, or null when there is none. The zone is the period's own, else the
 * recipient's, else UTC, skipping any the runtime does not know: a misspelt zone on the period says
 * less about where the user sleeps than the zone on their profile does.
 */
export function quietSchedule(quietHours: QuietHours | null, recipientZone: string | null, zones: TimeZones): QuietSchedule | null {
  if (!quietHours) return null;
  const startMinute = parseClockTime(quietHours.start);
  const endMinute = parseClockTime(quietHours.end);
  // Malformed times are refused by the preferences API; a record that slipped through has no period to honour.
  if (startMinute === null || endMinute === null || startMinute === endMinute) return null;
  return { startMinute, endMinute, zone: zones.resolve(quietHours.timezone, recipientZone) };
}

/** The instant the quiet period containing `now` ends, or null when `now` is outside quiet hours. */
export function quietPeriodEnd(schedule: QuietSchedule, now: number, zones: TimeZones): number | null {
  const today = Math.floor(zones.toLocal(schedule.zone, now) / DAY_MS) * DAY_MS;
  let end: number | null = null;
  // Yesterday's period may still be running after midnight. A later period that starts no later
  // than the current one ends continues it: 02:30–02:00 on a spring-forward day has both its end and
  // the next start in the skipped hour, so both resolve to the transition and quiet never pauses.
  for (const day of [today - DAY_MS, today, today + DAY_MS]) {
    const period = periodStartingOn(schedule, day, zones);
    if (end === null) {
      if (period.start <= now && now < period.end) end = period.end;
    } else if (period.start <= end) {
      end = Math.max(end, period.end);
    }
  }
  return end;
}

/** The period that starts on local day `day` (a local midnight), as instants. */
function periodStartingOn(schedule: QuietSchedule, day: number, zones: TimeZones): { start: number; end: number } {
  const crossesMidnight = schedule.endMinute < schedule.startMinute;
  const endDay = crossesMidnight ? day + DAY_MS : day;
  return {
    start: zones.toInstant(schedule.zone, day + schedule.startMinute * MINUTE_MS),
    end: zones.toInstant(schedule.zone, endDay + schedule.endMinute * MINUTE_MS),
  };
}
