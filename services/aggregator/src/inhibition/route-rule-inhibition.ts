/**
 * A routing rule's own inhibition. A rule with `inhibit_labels` (services/router/rules.example.yaml)
 * says which labels identify "the same alert"; the router copies them onto each Intent. They become
 * the `equal` labels (with `type`) of seed 004's rule: while a critical alert from that rule fires,
 * warnings of the same type with the same values of those labels are suppressed as `inhibited`.
 *
 * The equal labels are stored with the source, not looked up on the target, so a warning routed by a
 * rule without inhibit labels (or by another rule) is still silenced by a critical that has them.
 */
import type { Intent } from '@notify/schemas';
import type { InhibitionSource } from '../state/recipient-state';
import type { InhibitRule } from './inhibit-rules';
import { parseMatcher } from './matcher';

const SOURCE = [parseMatcher('severity="critical"')];
const TARGET = [parseMatcher('severity="warning"')];

function ruleFor(name: string, equal: string[]): InhibitRule {
  return { name, source: SOURCE, target: TARGET, equal, durationMs: null };
}

/** The inhibit rule the intent's routing rule defines, or null when it names no inhibit labels. */
export function routeRuleInhibition(intent: Intent): InhibitRule | null {
  // Intents restored from state written before the field existed have none.
  const labels = intent.inhibit_labels ?? [];
  if (labels.length === 0) return null;
  const equal = ['type', ...new Set(labels.filter((l) => l !== 'type'))];
  return ruleFor(`rule ${JSON.stringify(intent.rule ?? 'default routing')} inhibit_labels [${equal.join(', ')}]`, equal);
}

/** The routing-rule inhibitions of the recipient's active sources, one per rule name. */
export function activeRouteRules(sources: Iterable<InhibitionSource>): InhibitRule[] {
  const byName = new Map<string, InhibitRule>();
  for (const source of sources) if (source.equal && !byName.has(source.rule)) byName.set(source.rule, ruleFor(source.rule, source.equal));
  return [...byName.values()];
}
