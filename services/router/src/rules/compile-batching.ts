import type { BatchingPolicy } from '@notify/schemas';
import { readDurationMs } from './duration-field';
import { FIELD_PATH_FORMAT, parseFieldPath } from './event-fields';
import type { YamlNode } from './yaml-node';

/** `batching: { window, group_by?, max_items? }`; a zero window means immediate delivery (null). */
export function compileBatching(node: YamlNode): BatchingPolicy | null {
  if (node.isMissing()) return null;
  node.mapping(['window', 'group_by', 'max_items']);
  const windowNode = node.child('window');
  if (windowNode.isMissing()) return node.fail('"window" is required');
  const windowMs = readDurationMs(windowNode);
  if (windowMs === 0) return null;

  const groupByNode = node.child('group_by');
  const groupBy = groupByNode.optionalString() ?? null;
  if (groupBy !== null && !parseFieldPath(groupBy)) {
    return groupByNode.fail(`unknown field "${groupBy}" (expected ${FIELD_PATH_FORMAT})`);
  }

  const maxNode = node.child('max_items');
  const maxItems = maxNode.isMissing() ? null : maxNode.value;
  if (maxItems !== null && !(typeof maxItems === 'number' && Number.isInteger(maxItems) && maxItems > 0)) {
    return maxNode.fail('expected a positive whole number');
  }
  return { window_ms: windowMs, group_by: groupBy, max_items: maxItems };
}
