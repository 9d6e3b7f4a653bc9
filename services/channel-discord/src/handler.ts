/**
 * The Discord worker's handler: the shared channel handler (claim, render, send, report, retry
 * through notifications.retry.discord) with the Discord or sandbox provider and default rendering.
 */
import { channelDeadLetter, createChannelHandler, renderDefault, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler } from '@notify/runner';
import type { DispatchTopic, RetryTopic } from '@notify/schemas';

export const STAGE = 'channel-discord';

export function createDiscordHandler(deps: { provider: ChannelProvider; claims: ClaimStore; retry?: RetryPolicy }): Handler<DispatchTopic | RetryTopic> {
  return createChannelHandler({ channel: 'discord', provider: deps.provider, claims: deps.claims, render: renderDefault, ...(deps.retry ? { retry: deps.retry } : {}) });
}

export function discordDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('discord', provider.name);
}
