/**
 * Routing by severity when a tenant has no rule for an event and its file declares no `defaults`
 * (seed 004): critical goes everywhere at once, lesser severities are batched to avoid alert fatigue.
 */
import type { Severity } from '@notify/schemas';
import type { DefaultRoutingTable } from './rule-types';
import type { Priority } from './priority';

export const BUILT_IN_DEFAULTS: DefaultRoutingTable = Object.freeze({
  critical: {
    channels: ['inapp', 'email', 'sms', 'push', 'discord'],
    batchWindowMs: 0,
    priority: 'high',
    bypassQuietHours: undefined,
    mandatory: false,
  },
  warning: {
    channels: ['inapp', 'email', 'discord'],
    batchWindowMs: 5 * 60_000,
    priority: 'normal',
    bypassQuietHours: undefined,
    mandatory: false,
  },
  info: {
    channels: ['inapp', 'email', 'discord'],
    batchWindowMs: 60 * 60_000,
    priority: 'normal',
    bypassQuietHours: undefined,
    mandatory: false,
  },
  success: {
    channels: ['inapp', 'discord'],
    batchWindowMs: 30 * 60_000,
    priority: 'normal',
    bypassQuietHours: undefined,
    mandatory: false,
  },
});

/** The priority a severity gets when neither a rule nor a `defaults` entry says. */
export function defaultPriorityFor(severity: Severity): Priority {
  return severity === 'critical' ? 'high' : 'normal';
}
