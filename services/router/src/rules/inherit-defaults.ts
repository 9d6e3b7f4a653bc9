import { SEVERITIES, type Severity } from '@notify/schemas';
import type { DefaultRoute, DefaultRoutingTable, RuleSet } from './rule-types';

/** The rule set with each severity it does not declare taken from `inherited`. */
export function withInheritedDefaults(ruleSet: RuleSet, inherited: DefaultRoutingTable): RuleSet {
  const table = {} as Record<Severity, DefaultRoute>;
  for (const severity of SEVERITIES) table[severity] = ruleSet.declaredDefaults[severity] ?? inherited[severity];
  return { ...ruleSet, defaults: Object.freeze(table) };
}
