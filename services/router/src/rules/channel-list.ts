import { isKnownChannel, KNOWN_CHANNELS, type Channel } from './channels';
import type { YamlNode } from './yaml-node';

/** A non-empty list of known channels, duplicates dropped, file order kept. */
export function readChannelList(node: YamlNode): Channel[] {
  if (node.isMissing()) return node.fail('channels are required');
  const items = Array.isArray(node.value) ? node.items() : [node];
  const channels: Channel[] = [];
  for (const item of items) {
    const name = item.string();
    if (!isKnownChannel(name)) return item.fail(`unknown channel "${name}" (expected one of ${KNOWN_CHANNELS.join(', ')})`);
    if (!channels.includes(name)) channels.push(name);
  }
  if (channels.length === 0) return node.fail('at least one channel is required');
  return channels;
}
