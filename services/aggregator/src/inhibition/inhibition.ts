/**
 * Inhibition for one recipient: which sources an intent starts, ends, or is silenced by. The rules are
 * the configured ones (INHIBIT_RULES) and those of routing rules with inhibit labels (route-rule-inhibition.ts).
 */
import type { Intent } from '@notify/schemas';
import type { RecipientState } from '../state/recipient-state';
import { AlertLabels } from './alert-labels';
import type { InhibitRule } from './inhibit-rules';
import { activeRouteRules, routeRuleInhibition } from './route-rule-inhibition';

export function isResolve(intent: Intent): boolean {
  return Object.hasOwn(intent.labels, 'status') && intent.labels.status?.toLowerCase() === 'resolved';
}

/** The values of the rule's `equal` labels, or null when one is missing. */
function equalValues(rule: InhibitRule, labels: AlertLabels): string[] | null {
  const values: string[] = [];
  for (const name of rule.equal) {
    const value = labels.get(name);
    if (value === '') return null;
    values.push(value);
  }
  return values;
}

/** The source key of this intent under `rule`, or null when an equal label is missing. */
function sourceKey(rule: InhibitRule, labels: AlertLabels, intent: Intent): string | null {
  const values = equalValues(rule, labels);
  return values === null ? null : JSON.stringify([rule.name, intent.type, values]);
}

export class Inhibition {
  constructor(
    private readonly rules: readonly InhibitRule[],
    private readonly defaultTtlMs: number,
  ) {}

  /**
   * Applies the intent to the recipient's sources and says whether it is inhibited. A resolve ends
   * the sources it names and is never inhibited; an intent that is itself a source is checked
   * before it registers, so it never silences itself.
   */
  apply(
    state: RecipientState,
    intent: Intent,
    now: number,
  ): { inhibited: false } | { inhibited: true; rule: string; sourceEventId: string } {
    const labels = new AlertLabels(intent);
    if (isResolve(intent)) {
      for (const rule of [...this.rules, ...activeRouteRules(Object.values(state.inhibitors))]) {
        const key = sourceKey(rule, labels, intent);
        if (key !== null) delete state.inhibitors[key];
      }
      return { inhibited: false };
    }
    const verdict = this.inhibitor(state, intent, labels, now);
    const own = routeRuleInhibition(intent);
    for (const rule of own ? [...this.rules, own] : this.rules) {
      if (!rule.source.every((m) => m.matches(labels))) continue;
      const key = sourceKey(rule, labels, intent);
      if (key === null) continue;
      const expiresAt = now + (rule.durationMs ?? this.defaultTtlMs);
      state.inhibitors[key] =
        rule === own
          ? { rule: rule.name, eventId: intent.event_id, expiresAt, equal: rule.equal }
          : { rule: rule.name, eventId: intent.event_id, expiresAt };
    }
    return verdict;
  }

  private inhibitor(
    state: RecipientState,
    intent: Intent,
    labels: AlertLabels,
    now: number,
  ): { inhibited: false } | { inhibited: true; rule: string; sourceEventId: string } {
    if (Object.keys(state.inhibitors).length === 0) return { inhibited: false };
    for (const rule of [...this.rules, ...activeRouteRules(Object.values(state.inhibitors))]) {
      if (!rule.target.every((m) => m.matches(labels))) continue;
      const values = equalValues(rule, labels);
      if (values === null) continue;
      for (const [key, source] of Object.entries(state.inhibitors)) {
        if (source.rule !== rule.name || source.expiresAt <= now || source.eventId === intent.event_id) continue;
        const [, , sourceValues] = JSON.parse(key) as [string, string, string[]];
        if (sourceValues.length === values.length && sourceValues.every((v, i) => v === values[i])) {
          return { inhibited: true, rule: rule.name, sourceEventId: source.eventId };
        }
      }
    }
    return { inhibited: false };
  }
}
