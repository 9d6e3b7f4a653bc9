/**
 * Events API v2 bodies. How a notification maps onto an incident:
 * - An event type ending in `_RESOLVED` (e.g. `DB_DOWN_RESOLVED`) resolves the incident its base type
 *   (`DB_DOWN`) opened; every other type triggers one. Dispatches carry no event labels, so the type is
 *   the signal that survives the whole pipeline.
 * - Trigger and resolve must name the same `dedup_key`: `payload.dedup_key` when the producer sends
 *   one (needed when one type can have several open incidents at once), otherwise
 *   `<tenant>/<base type>`, so repeats of an open incident are folded into it by PagerDuty.
 * - Severity maps onto PagerDuty's scale: critical → critical, warning → warning, info and success → info.
 */
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch, Severity } from '@notify/schemas';

export const RESOLVED_SUFFIX = '_RESOLVED';

const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
  success: 'info',
};

/** PagerDuty's documented limits: summary 1024 characters, dedup_key 255. */
const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

export interface TriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  client: string;
  payload: { summary: string; source: string; severity: string; timestamp: string; class: string; custom_details: Record<string, unknown> };
}

export interface ResolveEvent {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

export function isResolve(type: string): boolean {
  return type.toUpperCase().endsWith(RESOLVED_SUFFIX) && type.length > RESOLVED_SUFFIX.length;
}

export function baseType(type: string): string {
  return isResolve(type) ? type.slice(0, -RESOLVED_SUFFIX.length) : type;
}

export function dedupKey(dispatch: Dispatch): string {
  let fromPayload: unknown;
  try {
    fromPayload = (JSON.parse(dispatch.payload) as Record<string, unknown> | null)?.dedup_key;
  } catch {
    fromPayload = undefined;
  }
  const key = typeof fromPayload === 'string' && fromPayload.trim() !== '' ? fromPayload : `${dispatch.tenant}/${baseType(dispatch.type)}`;
  return key.slice(0, DEDUP_KEY_MAX);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function pagerDutyEvent(dispatch: Dispatch, message: RenderedMessage, routingKey: string): TriggerEvent | ResolveEvent {
  const dedup_key = dedupKey(dispatch);
  if (isResolve(dispatch.type)) return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    client: 'notify-platform',
    payload: {
      summary: cut(`${message.title}: ${message.body}`, SUMMARY_MAX),
      source: `notify-platform/${dispatch.tenant}`,
      severity: PD_SEVERITY[dispatch.severity],
      timestamp: new Date(dispatch.occurred_at).toISOString(),
      class: dispatch.type,
      custom_details: {
        body: message.body,
        event_id: dispatch.event_id,
        notification_id: dispatch.notification_id,
        severity_label: dispatch.severity_label,
        payload: message.data.payload,
      },
    },
  };
}
