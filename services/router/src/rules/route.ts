import type { AcceptedEvent } from '@notify/schemas';
import { defaultDecision } from './default-decision';
import { EventView } from './event-fields';
import { ruleDecision } from './rule-decision';
import { ruleMatches } from './rule-match';
import type { CompiledRule, RouteDecision, RuleSet } from './rule-types';

/**
 * Routes one event with one tenant's rules. Rules are tried in file order; a matching rule with
 * `stop` (the default) ends the search, so the first match wins. No match: the severity's default
 * route. Returns null only when a matching rule's action is `suppress`.
 */
export function route(event: AcceptedEvent, ruleSet: RuleSet): RouteDecision | null {
  const view = new EventView(event);
  const matched: CompiledRule[] = [];
  for (const rule of ruleSet.rules) {
    if (!ruleMatches(rule, view)) continue;
    if (rule.actions.some((action) => action.kind === 'suppress')) return null;
    matched.push(rule);
    if (rule.stop) break;
  }
  const defaults = ruleSet.defaults[event.severity];
  if (matched.length === 0) return defaultDecision(event, defaults);
  return ruleDecision(event, matched, defaults.priority);
}
