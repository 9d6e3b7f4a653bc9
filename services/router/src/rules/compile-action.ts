import { readChannelList } from './channel-list';
import { compileBatching } from './compile-batching';
import { compileEscalation } from './compile-escalation';
import { compileTeam } from './compile-team';
import { isPriority, PRIORITIES } from './priority';
import type { RuleAction } from './rule-types';
import type { YamlNode } from './yaml-node';

export const ACTION_TYPES = ['notify', 'suppress'] as const;

const NOTIFY_KEYS = [
  'type',
  'channels',
  'template',
  'priority',
  'bypass_quiet_hours',
  'mandatory',
  'batching',
  'inhibit_labels',
  'escalation',
  'team',
] as const;

export function compileAction(node: YamlNode): RuleAction {
  const typeNode = node.mapping(NOTIFY_KEYS).child('type');
  const type = typeNode.optionalString() ?? 'notify';
  if (type === 'suppress') {
    node.mapping(['type']);
    return { kind: 'suppress' };
  }
  if (type !== 'notify') return typeNode.fail(`unknown action type "${type}" (expected one of ${ACTION_TYPES.join(', ')})`);

  const priorityNode = node.child('priority');
  const priority = priorityNode.optionalString();
  if (priority !== undefined && !isPriority(priority)) {
    return priorityNode.fail(`unknown priority "${priority}" (expected one of ${PRIORITIES.join(', ')})`);
  }
  const inhibitNode = node.child('inhibit_labels');
  const channels = readChannelList(node.child('channels'));
  return {
    kind: 'notify',
    channels,
    template: node.child('template').optionalString(),
    priority,
    bypassQuietHours: node.child('bypass_quiet_hours').optionalBoolean(),
    mandatory: node.child('mandatory').optionalBoolean() ?? false,
    batching: compileBatching(node.child('batching')),
    escalation: compileEscalation(node.child('escalation')),
    inhibitLabels: inhibitNode.isMissing() ? [] : inhibitNode.stringList(),
    team: compileTeam(node.child('team'), channels),
  };
}
