/**
 * The aggregator's per-partition processor. Input is keyed and partitioned by recipient, and the
 * preferences, recipients and acks topics are co-partitioned with the intents, so every decision
 * about one person happens here with everything known about them. Per intent and channel, in order:
 *
 * 1. the same intent delivered again (router redelivery) is ignored;
 * 2. a dedupe_key seen for this recipient within DEDUPE_WINDOW_MS → suppressed/duplicate;
 * 3. an active inhibition source → suppressed/inhibited (inhibition/inhibit-rules.ts);
 * 4. the recipient's preferences (decideChannel): suppressed with its reason, or deferred over quiet
 *    hours (status `batched`, reason quiet_hours_deferred; released as `queued` when they end);
 * 5. a batching window → the digest window (status `batched`); the digest goes out when the window
 *    closes on the wall clock or reaches max items;
 * 6. otherwise the rate limit: non-critical over budget → suppressed/rate_limited; critical over its
 *    own budget → a short overflow digest, never dropped; else a dispatch and `queued`;
 * 7. escalation steps wait for an ack and fire on the timer (status `escalated`).
 *
 * A tombstone on notifications.recipients (erasure) clears the person's state: see onTableRecord.
 *
 * A team pseudo-recipient (`<tenant>/#<team>`, the router's one intent per event for its team channels)
 * goes through the same steps under its own key, so dedupe, inhibition, batching and escalation guard
 * the team's destination; it has no preferences, no recipient record and no rate limit, which are a
 * person's. A person's channels that the team covers (Intent.team_channels) exist only when they have a
 * destination of their own (team-channels.ts).
 *
 * Redelivered input cannot reach here after a commit (offsets commit with the outputs), so the only
 * duplicates are upstream ones, which step 1 absorbs.
 */
import {
  isChannel,
  isTeamRecipientKey,
  isTeamUserId,
  recipientKey,
  type Ack,
  type Channel,
  type Intent,
  type TopicName,
} from '@notify/schemas';
import type { InputRecord, Output, PartitionContext, PartitionProcessor } from '@notify/runner';
import type { Decisions } from './decisions';
import { decideChannel, type TimeZones } from './preferences';
import { batchingWindowMs, sendNow } from './send';
import { closeWindow, openOrJoinWindow } from './digest/window';
import { runEscalations, scheduleEscalation, acknowledge } from './escalation/escalation';
import { frequencyView } from './state/frequency-view';
import { overBudget, recordSend, recordTypeSend } from './state/rate-limit';
import { emptyState, isEmpty, nextDue, prune, type RecipientState } from './state/recipient-state';
import { TimerHeap } from './state/timer-heap';
import { intentStatus, STAGE } from './statuses';
import { existsForRecipient } from './team-channels';
import type { AggregatorSettings } from './settings';

export { STAGE };

export type AggregatorInput = 'notifications.intents' | 'notifications.acks';

export class AggregatorProcessor implements PartitionProcessor<AggregatorInput> {
  private readonly timers = new TimerHeap();
  private readonly decisions: Decisions;

  constructor(
    private readonly ctx: PartitionContext<RecipientState>,
    settings: AggregatorSettings,
    zones: TimeZones,
  ) {
    this.decisions = {
      settings,
      zones,
      // A team has neither, whatever someone published under its key: a person's choices never bind it.
      preferences: (key) => (isTeamRecipientKey(key) ? null : (ctx.tables.get('notifications.preferences', key) ?? null)),
      recipient: (key) => (isTeamRecipientKey(key) ? null : (ctx.tables.get('notifications.recipients', key) ?? null)),
    };
  }

  handle(record: InputRecord<Intent | Ack>, now: number): Output[] {
    if (record.topic === 'notifications.acks') return this.onAck(record.value as Ack);
    return this.onIntent(record.value as Intent, now);
  }

  hasDueTimers(now: number): boolean {
    return this.timers.peekDue() <= now;
  }

  tick(now: number): Output[] {
    const outputs: Output[] = [];
    for (const key of this.timers.popDue(now, this.decisions.settings.maxTimersPerTick)) {
      const current = this.ctx.state.peek(key);
      if (!current || nextDue(current) > now) continue;
      const state = this.ctx.state.mutable(key, emptyState);
      outputs.push(...releaseDeferrals(key, state, this.decisions, now));
      outputs.push(...closeDueWindows(key, state, this.decisions, now));
      outputs.push(...runEscalations(key, state, this.decisions, now));
      this.finish(key, state, now);
    }
    return outputs;
  }

  reindex(keys: Iterable<string>): void {
    for (const key of keys) {
      const state = this.ctx.state.peek(key);
      if (!state) continue;
      const due = nextDue(state);
      if (Number.isFinite(due)) this.timers.push(due, key);
    }
  }

  /**
   * The API tombstones a person's recipient record only when it erases them; then everything held
   * about them goes too (open digests, deferred and escalating notifications, rate and dedupe
   * memory), and the changelog carries a tombstone for the key, so a restore cannot bring it back.
   * Nothing is emitted: statuses about the erased person would re-create what erasure removed.
   */
  onTableRecord(topic: TopicName, key: string, value: unknown): Output[] {
    if (topic === 'notifications.recipients' && value === null && this.ctx.state.peek(key)) this.ctx.state.delete(key);
    return [];
  }

  private onAck(ack: Ack): Output[] {
    const key = recipientKey(ack.tenant, ack.user_id);
    const current = this.ctx.state.peek(key);
    if (!current || Object.keys(current.escalations).length === 0) return [];
    acknowledge(key, this.ctx.state.mutable(key, emptyState), ack);
    return [];
  }

  private onIntent(intent: Intent, now: number): Output[] {
    const key = intent.recipient;
    const state = this.ctx.state.mutable(key, emptyState);
    prune(state, now);
    const outputs = decideIntent(key, state, intent, this.decisions, now);
    this.finish(key, state, now);
    return outputs;
  }

  private finish(key: string, state: RecipientState, now: number): void {
    prune(state, now);
    if (isEmpty(state)) this.ctx.state.delete(key);
  }
}

function decideIntent(key: string, state: RecipientState, intent: Intent, d: Decisions, now: number): Output[] {
  const { settings } = d;
  if (Object.hasOwn(state.seen, intent.intent_id)) return [];
  state.seen[intent.intent_id] = now + settings.dedupeWindowMs;

  const preferences = d.preferences(key);
  const recipient = d.recipient(key);
  const outputs: Output[] = [];
  const channels: Array<{ channel: Channel; id: string }> = [];
  for (const channel of intent.channels) {
    const id = Object.hasOwn(intent.notification_ids, channel) ? intent.notification_ids[channel] : undefined;
    if (!id || !existsForRecipient(intent, channel, recipient)) continue;
    if (isChannel(channel)) channels.push({ channel, id });
    else
      outputs.push(
        intentStatus(
          intent,
          { notificationId: id, channel, status: 'suppressed', reason: 'no_route', detail: `unknown channel ${channel}` },
          now,
        ),
      );
  }
  if (channels.length === 0) return outputs;
  const suppressAll = (reason: 'duplicate' | 'inhibited' | 'rate_limited', detail: string, of = channels) =>
    of.map((c) => intentStatus(intent, { notificationId: c.id, channel: c.channel, status: 'suppressed', reason, detail }, now));

  if (intent.dedupe_key) {
    if (Object.hasOwn(state.dedupe, intent.dedupe_key)) {
      return [
        ...outputs,
        ...suppressAll('duplicate', `dedupe_key ${intent.dedupe_key} already used for this recipient within ${settings.dedupeWindowMs} ms`),
      ];
    }
    state.dedupe[intent.dedupe_key] = now + settings.dedupeWindowMs;
  }

  const inhibition = settings.inhibition.apply(state, intent, now);
  if (inhibition.inhibited)
    return [...outputs, ...suppressAll('inhibited', `inhibited by "${inhibition.rule}" while event ${inhibition.sourceEventId} fires`)];

  const sendable: Array<{ channel: Channel; id: string }> = [];
  for (const c of channels) {
    const decision = decideChannel({ intent, channel: c.channel, preferences, recipient, frequency: frequencyView(state), now }, d.zones);
    if (decision.kind === 'send') sendable.push(c);
    else if (decision.kind === 'suppress')
      outputs.push(
        intentStatus(
          intent,
          { notificationId: c.id, channel: c.channel, status: 'suppressed', reason: decision.reason, detail: decision.detail },
          now,
        ),
      );
    else {
      state.deferred.push({ intent, channel: c.channel, notificationId: c.id, until: decision.until, escalationStep: null });
      outputs.push(
        intentStatus(
          intent,
          {
            notificationId: c.id,
            channel: c.channel,
            status: 'batched',
            reason: 'quiet_hours_deferred',
            detail: `held until ${new Date(decision.until).toISOString()}`,
          },
          now,
        ),
      );
    }
  }
  if (sendable.length === 0) return outputs;

  const windowMs = batchingWindowMs(intent, settings);
  if (windowMs > 0) {
    for (const c of sendable)
      outputs.push(
        ...openOrJoinWindow(key, state, intent, c, { windowMs, maxItems: intent.batching?.max_items ?? null, critical: false }, d, now),
      );
  } else if (isTeamUserId(intent.user_id)) {
    // A person's rate limit protects their phone; a team's post is one per event for everyone it concerns.
    for (const c of sendable) outputs.push(...sendNow(intent, c, recipient, now));
  } else if (intent.severity === 'critical') {
    const over = overBudget(state.criticalSends, settings.criticalRate, now);
    if (over) {
      for (const c of sendable)
        outputs.push(
          ...openOrJoinWindow(
            key,
            state,
            intent,
            c,
            { windowMs: settings.criticalOverflowWindowMs, maxItems: null, critical: true, detail: `critical budget exceeded (${over})` },
            d,
            now,
          ),
        );
    } else {
      for (const c of sendable) outputs.push(...sendNow(intent, c, recipient, now));
      recordSend(state, true, now);
    }
  } else {
    const over = overBudget(state.sends, settings.rate, now);
    if (over) return [...outputs, ...suppressAll('rate_limited', over, sendable)];
    for (const c of sendable) outputs.push(...sendNow(intent, c, recipient, now));
    recordSend(state, false, now);
  }
  recordTypeSend(state, intent.type, now);
  if (intent.escalation.length > 0) scheduleEscalation(state, intent, settings, now);
  return outputs;
}

function releaseDeferrals(key: string, state: RecipientState, d: Decisions, now: number): Output[] {
  const due = state.deferred.filter((x) => x.until <= now);
  if (due.length === 0) return [];
  state.deferred = state.deferred.filter((x) => x.until > now);
  const outputs: Output[] = [];
  const preferences = d.preferences(key);
  const recipient = d.recipient(key);
  const sentIntents = new Set<string>();
  for (const deferral of due) {
    const { intent } = deferral;
    const channel = deferral.channel as Channel;
    const c = { channel, id: deferral.notificationId };
    // Decide again with the preferences of now: the user may have turned the channel off overnight.
    const decision = decideChannel({ intent, channel, preferences, recipient, frequency: frequencyView(state), now }, d.zones);
    if (decision.kind === 'suppress') {
      outputs.push(
        intentStatus(
          intent,
          { notificationId: c.id, channel, status: 'suppressed', reason: decision.reason, detail: decision.detail },
          now,
        ),
      );
    } else if (decision.kind === 'defer') {
      state.deferred.push({ ...deferral, until: decision.until });
    } else if (deferral.escalationStep !== null) {
      outputs.push(...sendNow(intent, c, recipient, now, `escalation step ${deferral.escalationStep + 1}, held over quiet hours`));
    } else {
      const windowMs = batchingWindowMs(intent, d.settings);
      if (windowMs > 0)
        outputs.push(
          ...openOrJoinWindow(key, state, intent, c, { windowMs, maxItems: intent.batching?.max_items ?? null, critical: false }, d, now),
        );
      else {
        outputs.push(...sendNow(intent, c, recipient, now));
        // Released deferrals are not rate limited (they waited for the user's own quiet hours), but they count.
        recordSend(state, intent.severity === 'critical', now);
      }
      if (!sentIntents.has(intent.intent_id)) recordTypeSend(state, intent.type, now);
      sentIntents.add(intent.intent_id);
    }
  }
  return outputs;
}

function closeDueWindows(key: string, state: RecipientState, d: Decisions, now: number): Output[] {
  const outputs: Output[] = [];
  for (const [windowKey, window] of Object.entries(state.windows)) {
    if (window.closesAt <= now) outputs.push(...closeWindow(key, state, windowKey, d, now, { early: false }));
  }
  return outputs;
}
