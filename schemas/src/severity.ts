/**
 * One ordered severity scale. Producers use many labels (seed 001: low/medium/critical, seed 004:
 * success/info/warning/critical, pagers: high/urgent); they all normalise onto these four ranks.
 */
import type { Severity } from './generated/AcceptedEvent';

export type { Severity };
export const SEVERITIES: readonly Severity[] = ['success', 'info', 'warning', 'critical'];

const ALIASES: Record<string, Severity> = {
  success: 'success',
  ok: 'success',
  resolved: 'success',
  positive: 'success',
  info: 'info',
  informational: 'info',
  information: 'info',
  notice: 'info',
  debug: 'info',
  low: 'info',
  minor: 'info',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  moderate: 'warning',
  major: 'warning',
  critical: 'critical',
  crit: 'critical',
  high: 'critical',
  urgent: 'critical',
  error: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  alert: 'critical',
  severe: 'critical',
};

/** The canonical severity for a label, or undefined when the label is unknown. */
export function normaliseSeverity(label: string): Severity | undefined {
  const key = label.trim().toLowerCase();
  // Own keys only: "constructor", "toString" or "__proto__" must not resolve to Object.prototype members.
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Compares two labels or canonical names by rank; unknown labels throw. */
export function compareSeverity(a: string, b: string): number {
  const sa = normaliseSeverity(a);
  const sb = normaliseSeverity(b);
  if (!sa || !sb) throw new Error(`unknown severity: ${!sa ? a : b}`);
  return severityRank(sa) - severityRank(sb);
}
