/**
 * Per-recipient message budgets (seed 004: 10 a minute, 100 an hour). Non-critical messages over
 * budget are suppressed as `rate_limited`; critical ones have a budget of their own and, over it,
 * are collected into a short digest instead (never dropped). A digest counts as one message.
 */
import type { RecipientState } from './recipient-state';

export interface RateBudget {
  perMinute: number;
  perHour: number;
}

const MINUTE_MS = 60_000;

export function overBudget(times: readonly number[], budget: RateBudget, now: number): string | null {
  let lastMinute = 0;
  let lastHour = 0;
  for (const at of times) {
    if (at > now - 60 * MINUTE_MS) lastHour++;
    if (at > now - MINUTE_MS) lastMinute++;
  }
  if (lastMinute >= budget.perMinute) return `${lastMinute} messages in the last minute, limit ${budget.perMinute}`;
  if (lastHour >= budget.perHour) return `${lastHour} messages in the last hour, limit ${budget.perHour}`;
  return null;
}

export function recordSend(state: RecipientState, critical: boolean, at: number): void {
  insertSorted(critical ? state.criticalSends : state.sends, at);
}

/** Per-type frequency: one entry per notification sent (not per channel), as FrequencyWindow counts. */
export function recordTypeSend(state: RecipientState, type: string, at: number): void {
  const times = Object.hasOwn(state.typeSends, type) ? (state.typeSends[type] as number[]) : (state.typeSends[type] = []);
  insertSorted(times, at);
}

function insertSorted(times: number[], at: number): void {
  let index = times.length;
  while (index > 0 && (times[index - 1] as number) > at) index--;
  times.splice(index, 0, at);
}
