/**
 * Team destinations. A tenant's (or one of its teams') Slack, Discord or Teams channel or PagerDuty
 * service receives an event once, however many people the event reaches, as the notification of a
 * pseudo-recipient whose user id is `#<team>` (recipient key `<tenant>/#<team>`). The router emits
 * its intent once per event, the aggregator decides it without preferences, and the channel worker
 * resolves its destination from configuration (`<tenant>/<team>`, then `<tenant>`, then `default`).
 */
import type { Channel } from './topics';

export const TEAM_CHANNELS = ['slack', 'discord', 'teams', 'pagerduty'] as const satisfies readonly Channel[];
export type TeamChannel = (typeof TEAM_CHANNELS)[number];

/** The team a rule gets when it names none. */
export const DEFAULT_TEAM = 'team';
/** What a rule's `team:` may be: it becomes part of a recipient key and of a configuration key. */
export const TEAM_NAME = /^[a-z0-9_-]{1,64}$/;

const TEAM_PREFIX = '#';

export function isTeamChannel(channel: string): channel is TeamChannel {
  return (TEAM_CHANNELS as readonly string[]).includes(channel);
}

/** The channels of a list a team destination covers, in the list's order. */
export function teamChannelsOf(channels: readonly string[]): TeamChannel[] {
  return channels.filter(isTeamChannel);
}

export function teamUserId(team: string): string {
  return `${TEAM_PREFIX}${team}`;
}

/** User ids starting with `#` are reserved for teams: no person can have one. */
export function isTeamUserId(userId: string): boolean {
  return userId.startsWith(TEAM_PREFIX);
}

/** The team of a pseudo-recipient's user id; null for a person. */
export function teamOf(userId: string): string | null {
  return isTeamUserId(userId) ? userId.slice(TEAM_PREFIX.length) : null;
}

/** Whether a recipient key (`<tenant>/<user_id>`) is a team's. */
export function isTeamRecipientKey(key: string): boolean {
  const slash = key.indexOf('/');
  return slash > 0 && isTeamUserId(key.slice(slash + 1));
}
