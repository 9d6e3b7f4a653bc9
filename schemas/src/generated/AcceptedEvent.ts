// Generated from schemas/avro by `npm run gen`. Do not edit by hand.
export type Severity = 'success' | 'info' | 'warning' | 'critical';
export const SeverityValues: readonly Severity[] = ['success', 'info', 'warning', 'critical'];

/** A validated, normalised event. */
export interface AcceptedEvent {
  event_id: string;
  type: string;
  producer: string;
  tenant: string;
  occurred_at: number;
  accepted_at: number;
  /** Normalised severity on the ordered scale. */
  severity: Severity;
  /** The label the producer sent. */
  severity_label: string;
  /** JSON object text. */
  payload: string;
  dedupe_key: null | string;
  recipients: Array<string>;
  audience: null | string;
  labels: Record<string, string>;
}
