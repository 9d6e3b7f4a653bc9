/**
 * In-app delivery: the inbox row is the delivery. Each stored row is also broadcast on
 * notifications.inbox so every WebSocket gateway can push it to the user's open sessions.
 */
import { RetryableError } from '@notify/errors';
import { deliveryStatus, type Dispatch, type DispatchTopic, type RetryTopic } from '@notify/schemas';
import type { Handler, InputRecord, Output } from '@notify/runner';
import { channelStage, countDelivered, outcomeOutputs, statusOf, type ChannelMetrics, type RenderedMessage } from '@notify/channel';
import type { InboxStore } from './inbox-store';

export const STAGE = channelStage('inapp');
/** The provider name in statuses and dead letters: the inbox row is the delivery. */
export const PROVIDER = 'inbox';

export interface InappHandlerDeps {
  inbox: InboxStore;
  metrics: ChannelMetrics;
  render: (dispatch: Dispatch) => RenderedMessage;
  now?: () => number;
}

export function createInappHandler(deps: InappHandlerDeps): Handler<DispatchTopic | RetryTopic> {
  const now = deps.now ?? Date.now;
  return {
    async handle(record: InputRecord<Dispatch>): Promise<Output[]> {
      const d = record.value;
      const message = deps.render(d);
      deps.metrics.emitted.inc({ channel: 'inapp' });
      let row;
      try {
        row = await deps.inbox.insert({
          notification_id: d.notification_id,
          tenant: d.tenant,
          user_id: d.user_id,
          event_id: d.event_id,
          type: d.type,
          severity: d.severity,
          title: message.title,
          body: message.body,
          data: message.data,
        });
      } catch (error) {
        throw new RetryableError('database_unavailable', `inbox write failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      }
      const at = now();
      countDelivered(deps.metrics, 'inapp', d.occurred_at, at);
      return [
        {
          topic: 'notifications.inbox',
          key: d.recipient,
          value: {
            notification_id: d.notification_id,
            tenant: d.tenant,
            user_id: d.user_id,
            seq: Number(row.seq),
            type: d.type,
            severity: d.severity,
            title: row.title,
            body: row.body,
            data: JSON.stringify(row.data),
            created_at: row.created_at.getTime(),
          },
        },
        // A digest's row delivers every member notification listed in it.
        ...outcomeOutputs(d, deliveryStatus({ ...statusOf(d, STAGE, PROVIDER, at), status: 'delivered' })),
      ];
    },
  };
}
