/**
 * The Teams worker's handler: the shared channel handler (claim, render, send, report, retry
 * through notifications.retry.teams) with the Teams or sandbox provider and default rendering.
 */
import { channelDeadLetter, createChannelHandler, renderDefault, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler } from '@notify/runner';
import type { DispatchTopic, RetryTopic } from '@notify/schemas';

export const STAGE = 'channel-teams';

export function createTeamsHandler(deps: { provider: ChannelProvider; claims: ClaimStore; retry?: RetryPolicy }): Handler<DispatchTopic | RetryTopic> {
  return createChannelHandler({ channel: 'teams', provider: deps.provider, claims: deps.claims, render: renderDefault, ...(deps.retry ? { retry: deps.retry } : {}) });
}

export function teamsDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('teams', provider.name);
}
