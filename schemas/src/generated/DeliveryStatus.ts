// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export type Status = 'accepted' | 'routed' | 'suppressed' | 'batched' | 'queued' | 'sent' | 'delivered' | 'failed' | 'retrying' | 'dead_lettered' | 'read' | 'acknowledged' | 'escalated';
export const StatusValues: readonly Status[] = ['accepted', 'routed', 'suppressed', 'batched', 'queued', 'sent', 'delivered', 'failed', 'retrying', 'dead_lettered', 'read', 'acknowledged', 'escalated'];

/** One step in the life of a notification. Terminal statuses: delivered, failed, suppressed, dead_lettered. */
export interface DeliveryStatus {
  /** One per (event, recipient, channel); the event id for event-level statuses. */
  notification_id: string;
  event_id: string;
  tenant: string;
  recipient: null | string;
  channel: null | string;
  type: null | string;
  status: Status;
  reason: null | string;
  detail: null | string;
  stage: string;
  provider: null | string;
  attempt: number;
  terminal: boolean;
  /** When the source event happened. */
  occurred_at: number;
  /** When this status was reached. */
  at: number;
  /** 0 for the original run; n for every status the n-th operator replay produced */
  replay: number;
}
