/**
 * The user's own on/off switches: a whole channel, or one event type on one channel. A missing entry
 * means on (Preferences.avsc), so only an explicit `false` turns anything off.
 */
import type { Preferences } from '@notify/schemas';
import { ownValue } from './own-value';

/** Why the user's switches turn this type off on this channel, or null when they leave it on. */
export function preferenceOptOut(preferences: Preferences, type: string, channel: string): string | null {
  if (ownValue(preferences.channels, channel) === false) return `channel ${channel} is turned off`;
  const typeChannels = ownValue(preferences.types, type);
  if (typeChannels && ownValue(typeChannels, channel) === false) return `${type} is turned off on ${channel}`;
  return null;
}
