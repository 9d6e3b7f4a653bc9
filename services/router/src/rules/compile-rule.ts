import { compileAction } from './compile-action';
import { compileCondition } from './compile-condition';
import { compileGlob } from './glob';
import type { CompiledRule } from './rule-types';
import type { YamlNode } from './yaml-node';

const RULE_KEYS = ['name', 'event_type', 'conditions', 'actions', 'stop', 'description'] as const;

export function compileRule(node: YamlNode): CompiledRule {
  node.mapping(RULE_KEYS);
  const nameNode = node.child('name');
  if (nameNode.isMissing()) return node.fail('"name" is required');
  const name = nameNode.string();

  const typeNode = node.child('event_type');
  if (typeNode.isMissing()) return node.fail(`rule "${name}": "event_type" is required`);
  const eventTypes = typeNode.stringList();
  if (eventTypes.length === 0) return typeNode.fail('at least one event type is required');
  const matchers = eventTypes.map(compileGlob);

  const conditionsNode = node.child('conditions');
  const conditions = conditionsNode.isMissing() ? [] : conditionsNode.items().map(compileCondition);

  const actionsNode = node.child('actions');
  if (actionsNode.isMissing()) return node.fail(`rule "${name}": "actions" is required`);
  const actions = actionsNode.items().map(compileAction);
  if (actions.length === 0) return actionsNode.fail('at least one action is required');
  if (actions.length > 1 && actions.some((action) => action.kind === 'suppress')) {
    return actionsNode.fail('"suppress" must be the only action of its rule');
  }

  return {
    name,
    line: node.line(),
    eventTypes,
    matchesType: (type) => matchers.some((matches) => matches(type)),
    conditions,
    actions,
    stop: node.child('stop').optionalBoolean() ?? true,
  };
}
