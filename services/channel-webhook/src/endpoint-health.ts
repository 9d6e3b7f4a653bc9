/**
 * When a failing tenant endpoint is disabled: after failing without a single success for longer than
 * WEBHOOK_DISABLE_AFTER_MS (Svix's rule, 5 days by default); 0 disables nothing. A 410 Gone is one
 * more failure of the streak, not a disable on its own: one misrouted answer (a deploy, a proxy)
 * must not cut a tenant off, and a streak of them is disabled like any other. Pure: the store keeps
 * the record, this decides.
 */
import type { EndpointFailure } from './endpoint-errors';

/** What the worker knows of one endpoint's health, as the store returns it. */
export interface HealthRecord {
  tenant: string;
  endpoint: string;
  failingSince: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  failures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export interface DisablePolicy {
  /** WEBHOOK_DISABLE_AFTER_MS; 0 = never disable. */
  disableAfterMs: number;
}

/** Failures that count against an endpoint's health; a 4xx other than 410, a 429 or our own refusal does not. */
export function countsAsFailing(failure: EndpointFailure): boolean {
  return failure !== 'none';
}

/** Why the endpoint should be disabled now, or null to keep sending. */
export function disableReason(record: HealthRecord, failure: EndpointFailure, policy: DisablePolicy, now: number): string | null {
  if (policy.disableAfterMs === 0 || record.disabledAt !== null) return null;
  if (!record.failingSince || !countsAsFailing(failure)) return null;
  const failingFor = now - record.failingSince.getTime();
  if (failingFor < policy.disableAfterMs) return null;
  return (
    `failing since ${record.failingSince.toISOString()} without a success (${record.failures} failures, ` +
    `longer than ${policy.disableAfterMs} ms); last: ${record.lastError ?? 'unknown'}`
  );
}

/** The detail a refused dispatch carries, for the tenant reading its statuses: when, why, and how to undo it. */
export function disabledDetail(record: Pick<HealthRecord, 'endpoint' | 'disabledAt' | 'disabledReason'>): string {
  const at = record.disabledAt ? record.disabledAt.toISOString() : 'an unknown time';
  return (
    `webhook endpoint ${record.endpoint} was disabled at ${at}: ${record.disabledReason ?? 'no reason recorded'}; ` +
    'not sent. Re-enable it with POST /v1/admin/webhook-endpoints/enable, which replays what it missed'
  );
}
