/**
 * What routing one recipient of one event produces: the Intent (keyed by recipient, so the aggregator
 * sees each person on one partition) and a `routed` status per channel, keyed by notification id.
 * Shared by direct routing and by every fan-out page, so both emit identical, deterministic records.
 *
 * Team channels (slack, discord, teams, pagerduty) reach the team's destination once per event through
 * an intent of its own, for the pseudo-recipient `#<team>` (teamOutputs, written once when the event is
 * accepted). A person's intent lists those channels in `team_channels`: the aggregator keeps them only
 * for someone with a destination of their own, so the router reports no `routed` for them.
 */
import {
  deliveryStatus,
  intentId,
  notificationId,
  recipientKey,
  teamChannelsOf,
  teamUserId,
  type AcceptedEvent,
  type Intent,
} from '@notify/schemas';
import type { Output } from '@notify/runner';

export const STAGE = 'router';

/** The routing fields an Intent carries; a RouteDecision and a fan-out page's decision both have them. */
export type IntentRouting = Pick<
  Intent,
  'rule' | 'channels' | 'template' | 'priority' | 'bypass_quiet_hours' | 'mandatory' | 'batching' | 'escalation' | 'inhibit_labels'
>;

export function buildIntent(
  event: AcceptedEvent,
  userId: string,
  decision: IntentRouting,
  now: number,
  teamChannels: readonly string[] = [],
): Intent {
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
    team_channels: [...teamChannels],
  };
}

export function recipientOutputs(event: AcceptedEvent, userId: string, decision: IntentRouting, now: number): Output[] {
  const teamChannels = teamChannelsOf(decision.channels);
  const intent = buildIntent(event, userId, decision, now, teamChannels);
  return intentOutputs(
    event,
    intent,
    decision,
    now,
    intent.channels.filter((c) => !intent.team_channels.includes(c)),
  );
}

/**
 * The team's intent for an event whose decision has team channels (none otherwise): only those
 * channels, and no escalation, since acknowledgements come from people, never from the team.
 */
export function teamOutputs(event: AcceptedEvent, decision: IntentRouting, team: string, now: number): Output[] {
  const channels = teamChannelsOf(decision.channels);
  if (channels.length === 0) return [];
  const intent = buildIntent(event, teamUserId(team), { ...decision, channels, escalation: [] }, now);
  return intentOutputs(event, intent, decision, now, intent.channels);
}

function intentOutputs(
  event: AcceptedEvent,
  intent: Intent,
  decision: IntentRouting,
  now: number,
  routedChannels: readonly string[],
): Output[] {
  const outputs: Output[] = [{ topic: 'notifications.intents', key: intent.recipient, value: intent }];
  const detail = decision.rule ? `rule ${decision.rule}` : 'default routing';
  for (const channel of routedChannels) {
    const id = intent.notification_ids[channel] as string;
    outputs.push({
      topic: 'notifications.delivery-status',
      key: id,
      value: deliveryStatus({
        notification_id: id,
        event_id: event.event_id,
        tenant: event.tenant,
        type: event.type,
        stage: STAGE,
        occurred_at: event.occurred_at,
        at: now,
        recipient: intent.recipient,
        channel,
        status: 'routed',
        detail,
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
      notification_id: event.event_id,
      event_id: event.event_id,
      tenant: event.tenant,
      type: event.type,
      stage: STAGE,
      occurred_at: event.occurred_at,
      at: now,
      status: 'suppressed',
      reason,
      detail,
    }),
  };
}
