/**
 * The Teams worker's handler: the shared channel handler (claim, render, send, report, retry
 * through notifications.retry.teams) with the Teams or sandbox provider and the channel's templates.
 */
import { channelDeadLetter, createChannelHandler, type ChannelHandlerOptions, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler } from '@notify/runner';
import type { DispatchTopic, RetryTopic } from '@notify/schemas';

export const STAGE = 'channel-teams';

export function createTeamsHandler(deps: { provider: ChannelProvider; claims: ClaimStore; render: ChannelHandlerOptions['render']; retry?: RetryPolicy }): Handler<DispatchTopic | RetryTopic> {
  return createChannelHandler({ channel: 'teams', provider: deps.provider, claims: deps.claims, render: deps.render, ...(deps.retry ? { retry: deps.retry } : {}) });
}

export function teamsDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('teams', provider.name);
}
