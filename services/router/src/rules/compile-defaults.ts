import { normaliseSeverity, type Severity } from '@notify/schemas';
import { defaultPriorityFor } from './built-in-defaults';
import { readChannelList } from './channel-list';
import { readDurationMs } from './duration-field';
import { isPriority, PRIORITIES } from './priority';
import type { DefaultRoute, PartialDefaultRoutingTable } from './rule-types';
import type { YamlNode } from './yaml-node';

const ENTRY_KEYS = ['channels', 'batch_window', 'priority', 'bypass_quiet_hours', 'mandatory'] as const;

/**
 * `defaults:` keyed by severity; aliases are accepted (`high:` means critical) but two keys naming the
 * same canonical severity are refused, since one would silently win.
 */
export function compileDefaults(node: YamlNode): PartialDefaultRoutingTable {
  if (node.isMissing()) return {};
  node.mapping();
  const table: Partial<Record<Severity, DefaultRoute>> = {};
  for (const key of node.keys()) {
    const entryNode = node.child(key);
    const severity = normaliseSeverity(key);
    if (!severity) return entryNode.fail(`unknown severity "${key}"`);
    if (table[severity]) return entryNode.fail(`a second entry for severity ${severity}`);
    table[severity] = compileDefaultRoute(entryNode, severity);
  }
  return table;
}

function compileDefaultRoute(node: YamlNode, severity: Severity): DefaultRoute {
  node.mapping(ENTRY_KEYS);
  const priorityNode = node.child('priority');
  const priority = priorityNode.optionalString() ?? defaultPriorityFor(severity);
  if (!isPriority(priority)) return priorityNode.fail(`unknown priority "${priority}" (expected one of ${PRIORITIES.join(', ')})`);
  const windowNode = node.child('batch_window');
  return {
    channels: readChannelList(node.child('channels')),
    batchWindowMs: windowNode.isMissing() ? 0 : readDurationMs(windowNode),
    priority,
    bypassQuietHours: node.child('bypass_quiet_hours').optionalBoolean(),
    mandatory: node.child('mandatory').optionalBoolean() ?? false,
  };
}
