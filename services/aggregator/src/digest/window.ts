/**
 * Digest windows of one recipient: joining one (status `batched` per member), and closing it into
 * one digest dispatch when its time is up or it is full.
 *
 * Member notifications: `routed` (router) → `batched` (joined a window) → `queued` with the digest's
 * id in `detail` (the window closed) → the terminal status the channel worker reports for the
 * digest, which lists every member in `digest.items` (see digest-dispatch.ts). If the digest cannot
 * be sent at all (the contact point disappeared meanwhile), every member gets a terminal
 * `suppressed` here instead.
 */
import { deliveryStatus, type Channel, type Intent } from '@notify/schemas';
import type { Output } from '@notify/runner';
import type { Decisions } from '../decisions';
import { dispatchRecipient, dispatchTopic } from '../dispatch';
import { contactPoint, quietPeriodEnd, quietSchedule } from '../preferences';
import { ignoresQuietHours } from '../preferences/quiet-hours-deferral';
import { recordSend } from '../state/rate-limit';
import type { DigestMember, DigestWindow, RecipientState } from '../state/recipient-state';
import { intentStatus, STAGE } from '../statuses';
import { digestDispatch, digestId, DIGEST_TYPE } from './digest-dispatch';
import { windowGroup, windowKey } from './window-key';

export interface WindowPolicy {
  windowMs: number;
  maxItems: number | null;
  /** Critical alerts over their rate budget: grouped on their own and counted against the critical budget. */
  critical: boolean;
  detail?: string;
}

export function openOrJoinWindow(
  key: string,
  state: RecipientState,
  intent: Intent,
  c: { channel: Channel; id: string },
  policy: WindowPolicy,
  d: Decisions,
  now: number,
): Output[] {
  const group = policy.critical ? 'critical-overflow' : windowGroup(intent);
  const wk = windowKey(c.channel, group, policy.windowMs);
  let window = Object.hasOwn(state.windows, wk) ? state.windows[wk] : undefined;
  if (!window) {
    window = {
      channel: c.channel,
      group,
      openedAt: now,
      closesAt: now + policy.windowMs,
      maxItems: Math.min(policy.maxItems ?? d.settings.digestMaxItems, d.settings.digestMaxItems),
      ignoresQuietHours: false,
      critical: policy.critical,
      tenant: intent.tenant,
      userId: intent.user_id,
      priority: intent.priority,
      members: [],
    };
    state.windows[wk] = window;
  }
  window.ignoresQuietHours ||= ignoresQuietHours(intent, c.channel);
  const member: DigestMember = {
    notification_id: c.id,
    event_id: intent.event_id,
    type: intent.type,
    severity: intent.severity,
    payload: intent.payload,
    occurred_at: intent.occurred_at,
  };
  window.members.push(member);
  const outputs: Output[] = [
    intentStatus(
      intent,
      {
        notificationId: c.id,
        channel: c.channel,
        status: 'batched',
        detail: policy.detail ?? `digest window ${group} closes at ${new Date(window.closesAt).toISOString()}`,
      },
      now,
    ),
  ];
  if (window.members.length >= window.maxItems) outputs.push(...closeWindow(key, state, wk, d, now, { early: true }));
  return outputs;
}

export function closeWindow(key: string, state: RecipientState, wk: string, d: Decisions, now: number, how: { early: boolean }): Output[] {
  const window = state.windows[wk];
  if (!window) return [];
  const recipient = d.recipient(key);
  if (!how.early && !window.ignoresQuietHours) {
    // A window ending during the recipient's quiet hours waits for them to end, like single notifications.
    const preferences = d.preferences(key);
    const schedule = preferences ? quietSchedule(preferences.quiet_hours, recipient?.timezone ?? null, d.zones) : null;
    const until = schedule ? quietPeriodEnd(schedule, now, d.zones) : null;
    if (until !== null && window.channel !== 'inapp') {
      window.closesAt = until;
      return [];
    }
  }
  delete state.windows[wk];
  const contact = contactPoint(window.channel as Channel, recipient, window.userId);
  if (!contact.reachable)
    return window.members.map((m) =>
      memberStatus(key, window, m, now, { status: 'suppressed', reason: contact.reason, detail: contact.detail }),
    );
  const dispatch = digestDispatch(key, wk, window, dispatchRecipient(recipient, contact.address), now);
  const id = digestId(key, wk, window);
  recordSend(state, window.critical, now);
  return [
    { topic: dispatchTopic(window.channel as Channel), key, value: dispatch },
    {
      topic: 'notifications.delivery-status',
      key: id,
      value: deliveryStatus({
        notification_id: id,
        event_id: id,
        tenant: window.tenant,
        recipient: key,
        channel: window.channel,
        type: DIGEST_TYPE,
        stage: STAGE,
        occurred_at: dispatch.occurred_at,
        at: now,
        status: 'queued',
        detail: `digest of ${window.members.length}: ${JSON.parse(dispatch.payload).summary as string}`,
      }),
    },
    ...window.members.map((m) => memberStatus(key, window, m, now, { status: 'queued', reason: null, detail: `in digest ${id}` })),
  ];
}

function memberStatus(
  key: string,
  window: DigestWindow,
  m: DigestMember,
  now: number,
  s: { status: 'queued' | 'suppressed'; reason: 'no_address' | 'unverified' | null; detail: string },
): Output {
  return {
    topic: 'notifications.delivery-status',
    key: m.notification_id,
    value: deliveryStatus({
      notification_id: m.notification_id,
      event_id: m.event_id,
      tenant: window.tenant,
      recipient: key,
      channel: window.channel,
      type: m.type,
      stage: STAGE,
      occurred_at: m.occurred_at,
      at: now,
      status: s.status,
      reason: s.reason,
      detail: s.detail,
    }),
  };
}
