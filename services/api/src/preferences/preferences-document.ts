/**
 * A user's preferences as the API stores and returns them: the Preferences record without its key
 * fields. PUT replaces the whole document; what a body leaves out takes the default.
 */
import type { Preferences, QuietHours } from '@notify/schemas';

export const SEVERITY_FILTERS = ['all', 'warning_and_above', 'critical_only'] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

export interface PreferencesDocument {
  /** Channel on/off; a channel not listed is on. */
  channels: Record<string, boolean>;
  /** Event type to channel to on/off. */
  types: Record<string, Record<string, boolean>>;
  severity_filter: SeverityFilter;
  /** Event type to maximum notifications per hour. */
  frequency_limits: Record<string, number>;
  quiet_hours: QuietHours | null;
}

export function defaultPreferences(): PreferencesDocument {
  return { channels: {}, types: {}, severity_filter: 'all', frequency_limits: {}, quiet_hours: null };
}

export function preferencesRecord(tenant: string, userId: string, document: PreferencesDocument, updatedAt: number): Preferences {
  return { tenant, user_id: userId, ...document, updated_at: updatedAt };
}

export function preferencesResponse(
  document: PreferencesDocument,
  updatedAt: number | null,
): PreferencesDocument & { updated_at: string | null } {
  return { ...document, updated_at: updatedAt === null ? null : new Date(updatedAt).toISOString() };
}
