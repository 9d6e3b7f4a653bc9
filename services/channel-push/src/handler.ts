/**
 * The push worker's handler: the shared channel handler (claim, render, send, report) with the
 * push provider (Web Push, FCM, APNs). A dispatch whose devices are all gone ends as `failed` with
 * reason `subscription_gone` instead of a dead letter: the removal is recorded and there is nothing
 * to replay.
 */
import { channelDeadLetter, channelStage, createChannelHandler, outcomeOutputs, type ChannelHandlerOptions, type ChannelProvider, type ClaimStore, type RetryPolicy } from '@notify/channel';
import type { DeadLetterPolicy, Handler, HandlerContext, InputRecord, Output } from '@notify/runner';
import { deliveryStatus, type Dispatch, type DispatchTopic, type RetryTopic } from '@notify/schemas';
import { SubscriptionGoneError } from './subscription-gone';

export const STAGE = channelStage('push');

export function createPushHandler(deps: { provider: ChannelProvider; claims: ClaimStore; render: ChannelHandlerOptions['render']; retry?: RetryPolicy; now?: () => number }): Handler<DispatchTopic | RetryTopic> {
  const inner = createChannelHandler({ channel: 'push', provider: deps.provider, claims: deps.claims, render: deps.render, ...(deps.retry ? { retry: deps.retry } : {}) });
  const now = deps.now ?? Date.now;
  return {
    async handle(record: InputRecord<Dispatch>, ctx: HandlerContext): Promise<Output[]> {
      try {
        return await inner.handle(record, ctx);
      } catch (error) {
        if (!(error instanceof SubscriptionGoneError)) throw error;
        const d = record.value;
        ctx.metrics.failed.inc({ channel: 'push', reason: error.code });
        return outcomeOutputs(d, deliveryStatus({
          notification_id: d.notification_id, event_id: d.event_id, tenant: d.tenant, recipient: d.recipient, channel: d.channel, type: d.type,
          stage: STAGE, provider: deps.provider.name, attempt: d.attempt, replay: d.replay, occurred_at: d.occurred_at, at: now(),
          status: 'failed', reason: error.code, detail: error.message,
        }));
      }
    },
  };
}

export function pushDeadLetter(provider: ChannelProvider): DeadLetterPolicy {
  return channelDeadLetter('push', provider.name);
}
