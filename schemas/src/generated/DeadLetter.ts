// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** A record a stage gave up on, with enough to inspect and replay it. */
export interface DeadLetter {
  notification_id: null | string;
  stage: string;
  reason: string;
  code: string;
  attempts: number;
  original_topic: string;
  original_partition: number;
  original_offset: string;
  original_key: null | string;
  /** The original record value, byte for byte. */
  original: null | Buffer;
  failed_at: number;
}
