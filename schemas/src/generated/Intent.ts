// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export type Severity = 'success' | 'info' | 'warning' | 'critical';
export const SeverityValues: readonly Severity[] = ['success', 'info', 'warning', 'critical'];

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

/** What the router decided for one recipient of one event. */
export interface Intent {
  /** Deterministic: derived from event id and recipient. */
  intent_id: string;
  event_id: string;
  tenant: string;
  /** <tenant>/<user_id>, also the record key. */
  recipient: string;
  user_id: string;
  type: string;
  severity: Severity;
  severity_label: string;
  channels: Array<string>;
  /** Channel to notification id; one notification per recipient and channel. */
  notification_ids: Record<string, string>;
  template: string;
  priority: string;
  /** Name of the matching rule; null when default routing applied. */
  rule: null | string;
  bypass_quiet_hours: boolean;
  /** The recipient cannot opt out (critical rules). */
  mandatory: boolean;
  batching: null | BatchingPolicy;
  escalation: Array<EscalationStep>;
  payload: string;
  dedupe_key: null | string;
  labels: Record<string, string>;
  /** From the matching rule: label names whose values identify the same alert for inhibition (the equal labels of its critical-silences-warning rule). */
  inhibit_labels: Array<string>;
  occurred_at: number;
  routed_at: number;
  /** Channels of this intent that a team destination covers: the event's team intent (user_id #<team>) posts them once, so a person's notification on them exists only when they have a destination of their own (Recipient.chat), and the router reports no routed status for it. Empty on the team intent itself. */
  team_channels: Array<string>;
}
