// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** A user read or acknowledged a notification; stops escalation. */
export interface Ack {
  tenant: string;
  user_id: string;
  notification_id: string;
  event_id: null | string;
  /** read or acknowledged. */
  action: string;
  at: number;
}
