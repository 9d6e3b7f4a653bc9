/**
 * Per-type hourly caps (seed 002 `frequency_limits`, seed 004 `frequency_limit`): at most N
 * notifications of one event type per recipient per hour. The decision only reads a count; the caller
 * records what it actually sent, so deciding twice (a redelivery, a re-decision after quiet hours)
 * never counts twice.
 */
import type { Preferences } from '@notify/schemas';
import { ownValue } from './own-value';

export const FREQUENCY_WINDOW_MS = 60 * 60 * 1000;

/** Read-only view of recent sends, as FrequencyWindow offers it. */
export interface FrequencyCounts {
  /** Sends of `type` to `recipient` recorded in the hour before `now` (exactly one hour old no longer counts). */
  sendsInLastHour(recipient: string, type: string, now: number): number;
}

/**
 * Why this type is over its limit, or null when it may be sent. A limit of 0 blocks the type; a
 * negative or non-integer limit is malformed data and is ignored rather than blocking everything.
 */
export function frequencyLimitExceeded(
  preferences: Preferences,
  counts: FrequencyCounts,
  recipient: string,
  type: string,
  now: number,
): string | null {
  const limit = ownValue(preferences.frequency_limits, type);
  if (limit === undefined || !Number.isInteger(limit) || limit < 0) return null;
  const sent = counts.sendsInLastHour(recipient, type, now);
  return sent >= limit ? `${sent} ${type} notifications in the last hour, limit ${limit}` : null;
}
