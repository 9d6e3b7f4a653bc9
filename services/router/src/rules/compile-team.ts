import { TEAM_CHANNELS, TEAM_NAME, teamChannelsOf } from '@notify/schemas';
import type { Channel } from './channels';
import type { YamlNode } from './yaml-node';

/**
 * A notify action's `team:`, the team whose destinations its team channels post to once per event
 * (configured as "<tenant>/<team>" in the channel's destinations). It becomes part of a recipient key
 * and a configuration key, hence the narrow alphabet; naming a team on an action without any team
 * channel would do nothing, so it is refused rather than silently ignored.
 */
export function compileTeam(node: YamlNode, channels: readonly Channel[]): string | undefined {
  const team = node.optionalString();
  if (team === undefined) return undefined;
  if (!TEAM_NAME.test(team)) return node.fail(`team "${team}" must be 1 to 64 characters of a-z, 0-9, _ and -`);
  if (teamChannelsOf(channels).length === 0)
    return node.fail(`a team only applies to the channels ${TEAM_CHANNELS.join(', ')}, and this action has none of them`);
  return team;
}
