// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export type Severity = 'success' | 'info' | 'warning' | 'critical';
export const SeverityValues: readonly Severity[] = ['success', 'info', 'warning', 'critical'];

export interface DigestItem {
  notification_id: string;
  event_id: string;
  type: string;
  severity: string;
  payload: string;
  occurred_at: number;
}

export interface Digest {
  total: number;
  /** Items per event type. */
  counts: Record<string, number>;
  /** The first N items. */
  items: Array<DigestItem>;
}

/** One message for one recipient on one channel, ready for a channel worker; also the value of the retry topics. */
export interface Dispatch {
  notification_id: string;
  /** Claimed by the channel worker before the provider call. */
  idempotency_key: string;
  event_id: string;
  tenant: string;
  recipient: string;
  user_id: string;
  channel: string;
  type: string;
  severity: Severity;
  severity_label: string;
  /** The template id a rule (or the aggregator, for digests) chose, such as risk.margin_call; empty when none was chosen and templates are found by event type. */
  template: string;
  priority: string;
  locale: string;
  /** Resolved contact point; null when the channel resolves it (in-app, tenant webhooks). */
  address: null | string;
  payload: string;
  digest: null | Digest;
  attempt: number;
  not_before: number;
  occurred_at: number;
  created_at: number;
  /** The recipient's IANA time zone for dates in the message; null (older writers) reads as UTC. */
  time_zone: null | string;
  /** 0 for the original run; n for every status the n-th operator replay produced */
  replay: number;
  /** The event's dedupe key, so a push notification replaces an older one of the same key on the device (FCM collapse key, apns-collapse-id, Web Push Topic); null for digests and older writers. */
  dedupe_key: null | string;
  /** Render this version of the tenant's template (the API's test send of a version that may not be active); null renders the active one, or the shipped text. */
  template_version: null | number;
}
