import { DURATION_FORMAT, parseDurationMs } from './duration';
import type { YamlNode } from './yaml-node';

export function readDurationMs(node: YamlNode): number {
  const ms = parseDurationMs(node.value);
  if (ms === undefined) return node.fail(`invalid duration ${JSON.stringify(node.value ?? null)} (expected ${DURATION_FORMAT})`);
  return ms;
}
