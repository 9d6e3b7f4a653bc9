import type { EventView } from './event-fields';
import type { CompiledRule } from './rule-types';

/** The event type matches one of the rule's patterns and every condition holds. */
export function ruleMatches(rule: CompiledRule, view: EventView): boolean {
  return rule.matchesType(view.event.type) && rule.conditions.every((condition) => condition.holds(view));
}
