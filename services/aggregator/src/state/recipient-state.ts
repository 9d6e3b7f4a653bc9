/**
 * Everything the aggregator remembers about one recipient, as plain JSON: it is written whole to the
 * compacted changelog (AggregatorState.state_json, layout version STATE_VERSION) on every change.
 */
import type { Intent } from '@notify/schemas';

export const STATE_VERSION = 1;

export interface DigestMember {
  notification_id: string;
  event_id: string;
  type: string;
  severity: string;
  payload: string;
  occurred_at: number;
}

export interface DigestWindow {
  channel: string;
  /** What the window groups by, for the digest's id and detail. */
  group: string;
  openedAt: number;
  closesAt: number;
  maxItems: number;
  /** Whether the digest may go out during quiet hours (a member bypasses them). */
  ignoresQuietHours: boolean;
  /** Critical alerts beyond their rate budget: a closing window counts against the critical budget. */
  critical: boolean;
  tenant: string;
  userId: string;
  priority: string;
  members: DigestMember[];
}

export interface Deferral {
  intent: Intent;
  channel: string;
  notificationId: string;
  until: number;
  /** Set for escalation steps, which report `escalated` instead of `queued` when released. */
  escalationStep: number | null;
}

export interface InhibitionSource {
  rule: string;
  eventId: string;
  expiresAt: number;
  /** Only for a routing rule's inhibit labels (inhibition/route-rule-inhibition.ts): its equal labels. */
  equal?: string[];
}

export interface PendingEscalation {
  intent: Intent;
  /** Index of the next step to run. */
  step: number;
  /** When the original notification went out; step delays count from here. */
  baseAt: number;
  dueAt: number;
  read: boolean;
}

export interface RecipientState {
  /** intent_id -> expiry: the same intent delivered again is ignored. */
  seen: Record<string, number>;
  /** dedupe_key -> expiry. */
  dedupe: Record<string, number>;
  /** Times of non-critical messages sent in the last hour (rate limit). */
  sends: number[];
  /** Times of critical messages sent in the last hour (their own budget). */
  criticalSends: number[];
  /** Event type -> times sent in the last hour (per-type frequency limits from preferences). */
  typeSends: Record<string, number[]>;
  /** Open digest windows by window key. */
  windows: Record<string, DigestWindow>;
  deferred: Deferral[];
  /** Active inhibition sources by source key (rule, type and equal-label values). */
  inhibitors: Record<string, InhibitionSource>;
  /** Escalations waiting for an ack, by event id. */
  escalations: Record<string, PendingEscalation>;
}

export function emptyState(): RecipientState {
  return { seen: {}, dedupe: {}, sends: [], criticalSends: [], typeSends: {}, windows: {}, deferred: [], inhibitors: {}, escalations: {} };
}

export function cloneState(state: RecipientState): RecipientState {
  return structuredClone(state);
}

const HOUR_MS = 60 * 60_000;

/** Drops everything expired; what is left still matters. */
export function prune(state: RecipientState, now: number): void {
  dropExpired(state.seen, now);
  dropExpired(state.dedupe, now);
  for (const [key, source] of Object.entries(state.inhibitors)) if (source.expiresAt <= now) delete state.inhibitors[key];
  state.sends = recent(state.sends, now);
  state.criticalSends = recent(state.criticalSends, now);
  for (const [type, times] of Object.entries(state.typeSends)) {
    const kept = recent(times, now);
    if (kept.length === 0) delete state.typeSends[type];
    else state.typeSends[type] = kept;
  }
}

export function isEmpty(state: RecipientState): boolean {
  return (
    Object.keys(state.seen).length === 0 &&
    Object.keys(state.dedupe).length === 0 &&
    state.sends.length === 0 &&
    state.criticalSends.length === 0 &&
    Object.keys(state.typeSends).length === 0 &&
    Object.keys(state.windows).length === 0 &&
    state.deferred.length === 0 &&
    Object.keys(state.inhibitors).length === 0 &&
    Object.keys(state.escalations).length === 0
  );
}

/** The earliest instant something about this recipient happens by itself: a timer, or an expiry to clean up. */
export function nextDue(state: RecipientState): number {
  let due = Infinity;
  for (const w of Object.values(state.windows)) due = Math.min(due, w.closesAt);
  for (const d of state.deferred) due = Math.min(due, d.until);
  for (const e of Object.values(state.escalations)) due = Math.min(due, e.dueAt);
  for (const at of Object.values(state.seen)) due = Math.min(due, at);
  for (const at of Object.values(state.dedupe)) due = Math.min(due, at);
  for (const s of Object.values(state.inhibitors)) due = Math.min(due, s.expiresAt);
  const oldest = [state.sends[0], state.criticalSends[0], ...Object.values(state.typeSends).map((t) => t[0])];
  for (const at of oldest) if (at !== undefined) due = Math.min(due, at + HOUR_MS);
  return due;
}

function dropExpired(entries: Record<string, number>, now: number): void {
  for (const [key, expiresAt] of Object.entries(entries)) if (expiresAt <= now) delete entries[key];
}

function recent(times: number[], now: number): number[] {
  const cutoff = now - HOUR_MS;
  let first = 0;
  while (first < times.length && (times[first] as number) <= cutoff) first++;
  return first === 0 ? times : times.slice(first);
}
