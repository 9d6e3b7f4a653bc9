/** What the decision helpers share: settings, the time-zone cache and the recipient's tables. */
import type { Preferences, Recipient } from '@notify/schemas';
import type { TimeZones } from './preferences';
import type { AggregatorSettings } from './settings';

export interface Decisions {
  settings: AggregatorSettings;
  zones: TimeZones;
  preferences(key: string): Preferences | null;
  recipient(key: string): Recipient | null;
}
