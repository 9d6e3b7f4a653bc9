// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export interface QuietHours {
  /** HH:MM local time. */
  start: string;
  /** HH:MM local time. */
  end: string;
  /** IANA zone; the recipient's when null. */
  timezone: null | string;
}

/** What a user wants to receive; compacted, keyed by <tenant>/<user_id>. */
export interface Preferences {
  tenant: string;
  user_id: string;
  /** Channel on/off; missing means on. */
  channels: Record<string, boolean>;
  /** Event type to channel to on/off. */
  types: Record<string, Record<string, boolean>>;
  /** all, warning_and_above or critical_only. */
  severity_filter: string;
  /** Event type to maximum notifications per hour. */
  frequency_limits: Record<string, number>;
  quiet_hours: null | QuietHours;
  updated_at: number;
}
