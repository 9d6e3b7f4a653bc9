// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export type Severity = 'success' | 'info' | 'warning' | 'critical';
export const SeverityValues: readonly Severity[] = ['success', 'info', 'warning', 'critical'];

/** The event being fanned out, as accepted (a copy of AcceptedEvent.avsc). */
export interface AcceptedEvent {
  event_id: string;
  type: string;
  producer: string;
  tenant: string;
  occurred_at: number;
  accepted_at: number;
  severity: Severity;
  severity_label: string;
  payload: string;
  dedupe_key: null | string;
  recipients: Array<string>;
  audience: null | string;
  labels: Record<string, string>;
}

export interface BatchingPolicy {
  window_ms: number;
  group_by: null | string;
  max_items: null | number;
}

export interface EscalationStep {
  delay_ms: number;
  channels: Array<string>;
  condition: string;
}

export interface FanoutDecision {
  rule: null | string;
  channels: Array<string>;
  template: string;
  priority: string;
  bypass_quiet_hours: boolean;
  mandatory: boolean;
  batching: null | BatchingPolicy;
  escalation: Array<EscalationStep>;
  inhibit_labels: Array<string>;
}

/** One step of an audience fan-out: the router reads it, routes the next page of audience members after the cursor, and writes the following page. Keyed by event id, so the pages of one event stay in order while pages of different events interleave. */
export interface FanoutPage {
  event: AcceptedEvent;
  /** The routing decided once when the event was accepted, so a rule reload mid fan-out does not split the audience. */
  decision: FanoutDecision;
  /** The audiences the event's selector names; members of any of them receive it once. */
  audiences: Array<string>;
  /** Keyset cursor: this page starts after this user id; null for the first page. */
  after_user_id: null | string;
  /** 0 for the first page. */
  page: number;
  /** Users the event already reached directly (explicit recipients, payload.user_id); audience pages skip them. */
  skip_user_ids: Array<string>;
  /** Recipients routed by this event before this page, direct ones included. */
  reached: number;
  /** When the router accepted the event's fan-out. */
  started_at: number;
}
