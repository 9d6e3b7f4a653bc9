/**
 * Sends per recipient and event type over a sliding hour, in memory. The aggregator keeps one per
 * partition: input is keyed by recipient, so one instance sees every send to a person.
 *
 * Memory stays bounded two ways: timestamps older than the window are pruned whenever a key is
 * touched, and keys are kept in order of their latest send so keys nobody was sent to for an hour
 * are dropped from the front on every record. A key also keeps at most `maxPerKey` timestamps (the
 * newest); counts saturate there, so `maxPerKey` must exceed the largest limit the API accepts.
 *
 * Record once per intent that was sent, not once per channel: a limit of "3 per hour" means three
 * notifications, whichever channels each one went out on.
 */
import { FREQUENCY_WINDOW_MS, type FrequencyCounts } from './frequency-limit';

export const DEFAULT_MAX_SENDS_PER_KEY = 1_000;

export class FrequencyWindow implements FrequencyCounts {
  /** Ascending send times per key; Map order is by latest send, oldest first. */
  private readonly sends = new Map<string, number[]>();

  constructor(private readonly maxPerKey: number = DEFAULT_MAX_SENDS_PER_KEY) {
    if (!Number.isInteger(maxPerKey) || maxPerKey < 1) throw new RangeError(`maxPerKey must be a positive integer, got ${maxPerKey}`);
  }

  sendsInLastHour(recipient: string, type: string, now: number): number {
    const key = keyOf(recipient, type);
    const times = this.sends.get(key);
    if (!times) return 0;
    pruneBefore(times, now - FREQUENCY_WINDOW_MS);
    if (times.length === 0) this.sends.delete(key);
    return times.length;
  }

  record(recipient: string, type: string, at: number): void {
    const key = keyOf(recipient, type);
    const times = this.sends.get(key) ?? [];
    insertSorted(times, at);
    pruneBefore(times, at - FREQUENCY_WINDOW_MS);
    if (times.length > this.maxPerKey) times.splice(0, times.length - this.maxPerKey);
    // Re-insert so the key moves to the back: the front then holds the keys idle the longest.
    this.sends.delete(key);
    this.sends.set(key, times);
    this.dropIdleKeys(at);
  }

  /** Number of recipient and type pairs held; for metrics and tests. */
  get keys(): number {
    return this.sends.size;
  }

  private dropIdleKeys(now: number): void {
    for (const [key, times] of this.sends) {
      const latest = times[times.length - 1];
      if (latest !== undefined && latest > now - FREQUENCY_WINDOW_MS) break;
      this.sends.delete(key);
    }
  }
}

function keyOf(recipient: string, type: string): string {
  // JSON keeps the pair unambiguous whatever characters either part contains.
  return JSON.stringify([recipient, type]);
}

/** Removes times at or before `cutoff`: a send exactly one hour ago has left the window. */
function pruneBefore(times: number[], cutoff: number): void {
  let expired = 0;
  while (expired < times.length && (times[expired] ?? Infinity) <= cutoff) expired++;
  if (expired > 0) times.splice(0, expired);
}

/** Keeps the list ascending when sends are recorded slightly out of order. */
function insertSorted(times: number[], at: number): void {
  let index = times.length;
  while (index > 0 && (times[index - 1] ?? -Infinity) > at) index--;
  times.splice(index, 0, at);
}
