/** The fields a delivery status copies from the dispatch it reports on; every channel outcome starts here. */
import type { Dispatch } from '@notify/schemas';

export function statusOf(d: Dispatch, stage: string, provider: string, at: number) {
  return {
    notification_id: d.notification_id,
    event_id: d.event_id,
    tenant: d.tenant,
    recipient: d.recipient,
    channel: d.channel,
    type: d.type,
    stage,
    provider,
    attempt: d.attempt,
    replay: d.replay,
    occurred_at: d.occurred_at,
    at,
  };
}
