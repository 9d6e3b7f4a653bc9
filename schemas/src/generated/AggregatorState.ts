// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
/** Changelog entry of the aggregator's per-recipient state; compacted, keyed by recipient. */
export interface AggregatorState {
  recipient: string;
  /** Layout version of state_json. */
  version: number;
  state_json: string;
  updated_at: number;
}
