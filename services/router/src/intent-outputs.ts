/**
 * What routing one recipient of one event produces: the Intent (keyed by recipient, so the aggregator
 * sees each person on one partition) and a `routed` status per channel, keyed by notification id.
 * Shared by direct routing and by every fan-out page, so both emit identical, deterministic records.
 */
import {
  deliveryStatus, intentId, notificationId, recipientKey, type AcceptedEvent, type Intent,
} from '@notify/schemas';
import type { Output } from '@notify/runner';

export const STAGE = 'router';

/** The routing fields an Intent carries; a RouteDecision and a fan-out page's decision both have them. */
export type IntentRouting = Pick<Intent, 'rule' | 'channels' | 'template' | 'priority' | 'bypass_quiet_hours' | 'mandatory' | 'batching' | 'escalation' | 'inhibit_labels'>;

export function buildIntent(event: AcceptedEvent, userId: string, decision: IntentRouting, now: number): Intent {
  const recipient = recipientKey(event.tenant, userId);
  const ids: Record<string, string> = {};
  for (const channel of decision.channels) ids[channel] = notificationId(event.event_id, recipient, channel);
  return {
    intent_id: intentId(event.event_id, recipient),
    event_id: event.event_id,
    tenant: event.tenant,
    recipient,
    user_id: userId,
    type: event.type,
    severity: event.severity,
    severity_label: event.severity_label,
    channels: [...decision.channels],
    notification_ids: ids,
    template: decision.template,
    priority: decision.priority,
    rule: decision.rule,
    bypass_quiet_hours: decision.bypass_quiet_hours,
    mandatory: decision.mandatory,
    batching: decision.batching,
    escalation: decision.escalation,
    payload: event.payload,
    dedupe_key: event.dedupe_key,
    labels: event.labels,
    inhibit_labels: [...decision.inhibit_labels],
    occurred_at: event.occurred_at,
    routed_at: now,
  };
}

export function recipientOutputs(event: AcceptedEvent, userId: string, decision: IntentRouting, now: number): Output[] {
  const intent = buildIntent(event, userId, decision, now);
  const outputs: Output[] = [{ topic: 'notifications.intents', key: intent.recipient, value: intent }];
  const detail = decision.rule ? `rule ${decision.rule}` : 'default routing';
  for (const channel of intent.channels) {
    const id = intent.notification_ids[channel] as string;
    outputs.push({
      topic: 'notifications.delivery-status',
      key: id,
      value: deliveryStatus({
        notification_id: id, event_id: event.event_id, tenant: event.tenant, type: event.type, stage: STAGE,
        occurred_at: event.occurred_at, at: now, recipient: intent.recipient, channel, status: 'routed', detail,
      }),
    });
  }
  return outputs;
}

/** The event-level terminal status of an event that reaches nobody (keyed by event id, no channel). */
export function eventSuppressed(event: AcceptedEvent, reason: 'no_route' | 'no_recipients', detail: string, now: number): Output {
  return {
    topic: 'notifications.delivery-status',
    key: event.event_id,
    value: deliveryStatus({
      notification_id: event.event_id, event_id: event.event_id, tenant: event.tenant, type: event.type, stage: STAGE,
      occurred_at: event.occurred_at, at: now, status: 'suppressed', reason, detail,
    }),
  };
}
