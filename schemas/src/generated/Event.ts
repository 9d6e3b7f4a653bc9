// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** A business event as written by a producer to notifications.events. */
export interface Event {
  /** Unique id chosen by the producer (a UUID is typical). */
  event_id: string;
  /** Event type, e.g. ORDER_FILLED, MARGIN_CALL. */
  type: string;
  /** Name of the producing system. */
  producer: string;
  tenant: string;
  /** When the business fact happened (epoch ms). */
  occurred_at: number;
  /** Severity label as the producer names it (info, low, medium, warning, high, critical, urgent, ...). */
  severity: string;
  /** JSON object text with the event's business fields (required: Apicurio 3.0 cannot type-detect a schema whose string default is "{}"). */
  payload: string;
  dedupe_key: null | string;
  /** Explicit user ids within the tenant. */
  recipients: null | Array<string>;
  /** Audience selector such as tier:TIER_1_SFO. */
  audience: null | string;
  /** Free labels used by rules and inhibition (account, symbol, ...). */
  labels: Record<string, string>;
}
