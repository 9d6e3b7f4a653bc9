/**
 * The Slack worker's handler: the shared channel handler (claim, render, send, report, retry
 * through notifications.retry.slack) with the Slack or sandbox provider and the channel's templates.
 */
import { channelDeadLetter, createChannelHandler, type ChannelHandlerOptions, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler } from '@notify/runner';
import type { DispatchTopic, RetryTopic } from '@notify/schemas';

export const STAGE = 'channel-slack';

export function createSlackHandler(deps: { provider: ChannelProvider; claims: ClaimStore; render: ChannelHandlerOptions['render']; retry?: RetryPolicy }): Handler<DispatchTopic | RetryTopic> {
  return createChannelHandler({ channel: 'slack', provider: deps.provider, claims: deps.claims, render: deps.render, ...(deps.retry ? { retry: deps.retry } : {}) });
}

export function slackDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('slack', provider.name);
}
