// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** An input record ingest could not accept, with the reason and the raw bytes so nothing is lost. */
export interface RejectedEvent {
  /** Human-readable explanation. */
  reason: string;
  /** Machine-readable class: undecodable, wrong_schema, invalid_field, ... */
  code: string;
  event_id: null | string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  key: null | string;
  raw: null | Buffer;
  rejected_at: number;
}
