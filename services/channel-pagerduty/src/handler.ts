/**
 * The PagerDuty worker's handler: the shared channel handler (claim, render, send, report, retry
 * through notifications.retry.pagerduty) with the PagerDuty or sandbox provider and default rendering.
 */
import { channelDeadLetter, createChannelHandler, renderDefault, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler } from '@notify/runner';
import type { DispatchTopic, RetryTopic } from '@notify/schemas';

export const STAGE = 'channel-pagerduty';

export function createPagerDutyHandler(deps: { provider: ChannelProvider; claims: ClaimStore; retry?: RetryPolicy }): Handler<DispatchTopic | RetryTopic> {
  return createChannelHandler({ channel: 'pagerduty', provider: deps.provider, claims: deps.claims, render: renderDefault, ...(deps.retry ? { retry: deps.retry } : {}) });
}

export function pagerdutyDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('pagerduty', provider.name);
}
