/**
 * Escalation of alerts nobody acknowledged (seed 002: security alert → SMS after 5 minutes). Step
 * delays count from when the original notification went out (times ESCALATION_DELAY_SCALE). When a
 * step comes due its condition is checked against the acks seen for the event or any of its
 * notifications: `not_acknowledged` fires unless an `acknowledged` ack arrived; `not_read` and
 * `not_delivered` fire unless any ack (read or acknowledged) arrived, since the aggregator does not
 * see delivery statuses and a read implies delivery. An `acknowledged` ack cancels every pending step.
 *
 * A step's notifications have ids of their own (event, recipient, `escalation:<step>:<channel>`), go
 * through the recipient's preferences like any other (so an unverified phone gets no SMS), and report
 * `escalated` instead of `queued`.
 */
import { isChannel, notificationId, type Ack, type Channel, type Intent } from '@notify/schemas';
import type { Output } from '@notify/runner';
import type { Decisions } from '../decisions';
import { decideChannel } from '../preferences';
import { sendNow } from '../send';
import type { AggregatorSettings } from '../settings';
import { frequencyView } from '../state/frequency-view';
import type { RecipientState } from '../state/recipient-state';
import { intentStatus } from '../statuses';

export function escalationNotificationId(intent: Intent, step: number, channel: string): string {
  return notificationId(intent.event_id, intent.recipient, `escalation:${step}:${channel}`);
}

function stepDelay(intent: Intent, step: number, settings: AggregatorSettings): number {
  return Math.round((intent.escalation[step]?.delay_ms ?? 0) * settings.escalationDelayScale);
}

export function scheduleEscalation(state: RecipientState, intent: Intent, settings: AggregatorSettings, now: number): void {
  if (Object.hasOwn(state.escalations, intent.event_id)) return;
  state.escalations[intent.event_id] = { intent, step: 0, baseAt: now, dueAt: now + stepDelay(intent, 0, settings), read: false };
}

/** Applies an ack to the recipient's pending escalations. */
export function acknowledge(_key: string, state: RecipientState, ack: Ack): void {
  for (const [eventId, pending] of Object.entries(state.escalations)) {
    const ids = new Set(Object.values(pending.intent.notification_ids));
    for (let step = 0; step < pending.step; step++) {
      for (const channel of pending.intent.escalation[step]?.channels ?? [])
        ids.add(escalationNotificationId(pending.intent, step, channel));
    }
    if (ack.event_id !== eventId && !ids.has(ack.notification_id)) continue;
    if (ack.action === 'read') pending.read = true;
    else delete state.escalations[eventId];
  }
}

export function runEscalations(key: string, state: RecipientState, d: Decisions, now: number): Output[] {
  const outputs: Output[] = [];
  for (const [eventId, pending] of Object.entries(state.escalations)) {
    while (pending.dueAt <= now && pending.step < pending.intent.escalation.length) {
      const index = pending.step;
      const step = pending.intent.escalation[index];
      pending.step++;
      if (pending.step < pending.intent.escalation.length)
        pending.dueAt = pending.baseAt + stepDelay(pending.intent, pending.step, d.settings);
      if (!step || (step.condition !== 'not_acknowledged' && pending.read)) continue;
      outputs.push(...fireStep(key, state, pending.intent, index, step.channels, d, now));
    }
    if (pending.step >= pending.intent.escalation.length) delete state.escalations[eventId];
  }
  return outputs;
}

function fireStep(
  key: string,
  state: RecipientState,
  intent: Intent,
  index: number,
  channels: readonly string[],
  d: Decisions,
  now: number,
): Output[] {
  const outputs: Output[] = [];
  const preferences = d.preferences(key);
  const recipient = d.recipient(key);
  const delay = intent.escalation[index]?.delay_ms ?? 0;
  for (const channel of channels) {
    const id = escalationNotificationId(intent, index, channel);
    if (!isChannel(channel)) {
      outputs.push(
        intentStatus(
          intent,
          { notificationId: id, channel, status: 'suppressed', reason: 'no_route', detail: `unknown channel ${channel}` },
          now,
        ),
      );
      continue;
    }
    const c: { channel: Channel; id: string } = { channel, id };
    const decision = decideChannel({ intent, channel, preferences, recipient, frequency: frequencyView(state), now }, d.zones);
    if (decision.kind === 'suppress') {
      outputs.push(
        intentStatus(
          intent,
          {
            notificationId: id,
            channel,
            status: 'suppressed',
            reason: decision.reason,
            detail: `escalation step ${index + 1}: ${decision.detail}`,
          },
          now,
        ),
      );
    } else if (decision.kind === 'defer') {
      state.deferred.push({ intent, channel, notificationId: id, until: decision.until, escalationStep: index });
      outputs.push(
        intentStatus(
          intent,
          {
            notificationId: id,
            channel,
            status: 'batched',
            reason: 'quiet_hours_deferred',
            detail: `escalation step ${index + 1} held until ${new Date(decision.until).toISOString()}`,
          },
          now,
        ),
      );
    } else {
      outputs.push(...sendNow(intent, c, recipient, now, `escalation step ${index + 1}: not acknowledged within ${delay} ms`));
    }
  }
  return outputs;
}
