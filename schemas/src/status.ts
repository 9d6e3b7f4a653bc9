/** Builders for DeliveryStatus records, so every stage writes them the same way. */
import type { DeliveryStatus } from './generated';
import type { Status } from './generated/DeliveryStatus';

export const TERMINAL_STATUSES: readonly Status[] = ['delivered', 'failed', 'suppressed', 'dead_lettered'];

export function isTerminal(status: Status): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Reasons for `suppressed`, as analysts filter them. */
export type SuppressionReason =
  | 'preference'
  | 'severity_filter'
  | 'quiet_hours_deferred'
  | 'rate_limited'
  | 'frequency_limited'
  | 'inhibited'
  | 'duplicate'
  | 'unverified'
  | 'opted_out'
  | 'no_address'
  | 'no_recipients'
  | 'no_route';

export interface StatusFields {
  notification_id: string;
  event_id: string;
  tenant: string;
  status: Status;
  stage: string;
  occurred_at: number;
  recipient?: string | null;
  channel?: string | null;
  type?: string | null;
  reason?: string | null;
  detail?: string | null;
  provider?: string | null;
  attempt?: number;
  /** Which operator replay of the notification produced this status (0: the original run). */
  replay?: number;
  at?: number;
}

export function deliveryStatus(f: StatusFields): DeliveryStatus {
  return {
    notification_id: f.notification_id,
    event_id: f.event_id,
    tenant: f.tenant,
    recipient: f.recipient ?? null,
    channel: f.channel ?? null,
    type: f.type ?? null,
    status: f.status,
    reason: f.reason ?? null,
    detail: f.detail ?? null,
    stage: f.stage,
    provider: f.provider ?? null,
    attempt: f.attempt ?? 0,
    terminal: isTerminal(f.status),
    occurred_at: f.occurred_at,
    at: f.at ?? Date.now(),
    replay: f.replay ?? 0,
  };
}
