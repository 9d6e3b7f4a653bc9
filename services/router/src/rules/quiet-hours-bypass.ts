/**
 * Whether an intent goes through the recipient's quiet hours. A rule or defaults entry that says so
 * decides; when none does, critical alerts and urgent priorities go at once (seed 004 calls critical
 * alerts immediate: a margin call that waits for the morning has done its harm by then).
 */
import type { Severity } from '@notify/schemas';
import type { Priority } from './priority';

export function bypassesQuietHours(said: ReadonlyArray<boolean | undefined>, severity: Severity, priority: Priority): boolean {
  const explicit = said.filter((value): value is boolean => value !== undefined);
  if (explicit.length > 0) return explicit.includes(true);
  return severity === 'critical' || priority === 'urgent';
}
