/**
 * The user's minimum severity (seed 004): critical_only, warning_and_above or all. An unknown value
 * reads as `all`: a malformed preference record must not silently drop notifications, and the
 * preferences API validates values on the way in.
 */
import { severityRank, type Severity } from '@notify/schemas';

export const SEVERITY_FILTERS = ['all', 'warning_and_above', 'critical_only'] as const;
export type SeverityFilter = (typeof SEVERITY_FILTERS)[number];

const LOWEST_ACCEPTED: Record<SeverityFilter, Severity> = {
  all: 'success',
  warning_and_above: 'warning',
  critical_only: 'critical',
};

export function parseSeverityFilter(value: string): SeverityFilter {
  const normalised = value.trim().toLowerCase();
  return (SEVERITY_FILTERS as readonly string[]).includes(normalised) ? (normalised as SeverityFilter) : 'all';
}

export function passesSeverityFilter(severity: Severity, filter: SeverityFilter): boolean {
  return severityRank(severity) >= severityRank(LOWEST_ACCEPTED[filter]);
}
