/**
 * Converts between instants (epoch ms) and local wall-clock time in IANA zones with nothing but the
 * built-in Intl API (no new dependencies).
 *
 * A "local" value here is a wall-clock reading encoded as if it were UTC: Date.UTC(year, month, day,
 * hour, minute) of what a clock in the zone shows. That makes calendar arithmetic plain addition
 * (the next local day is + DAY_MS) while DST only matters when converting back to an instant.
 *
 * An instance owns a cache of formatters: building an Intl.DateTimeFormat is far slower than using
 * one, and the aggregator converts on every quiet-hours check. Create one per aggregator (or per
 * partition), not per call, and not as a module-level singleton.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const UTC = 'UTC';

/** Every IANA zone under a few spellings fits; clearing when full bounds what bad input can add. */
const MAX_CACHED_ZONES = 1_000;

/** Whether `zone` is an IANA zone this runtime knows; the preferences API validates input with it. */
export function validTimeZone(zone: string): boolean {
  return createFormatter(zone) !== null;
}

export class TimeZones {
  /** null marks a zone known to be invalid, so bad data does not pay for a thrown RangeError each time. */
  private readonly formatters = new Map<string, Intl.DateTimeFormat | null>();

  /** The first valid zone among the candidates, or UTC when none is. */
  resolve(...candidates: ReadonlyArray<string | null | undefined>): string {
    for (const zone of candidates) if (zone && this.formatter(zone)) return zone;
    return UTC;
  }

  /** Milliseconds to add to `instant` to read the zone's wall clock; an invalid zone reads as UTC. */
  offsetAt(zone: string, instant: number): number {
    const formatter = this.formatter(zone);
    if (!formatter) return 0;
    const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of formatter.formatToParts(instant)) {
      if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
    }
    // Some ICU versions print midnight as 24 even with hourCycle h23.
    const hour = fields.hour === 24 ? 0 : fields.hour;
    const wholeSecond = instant - mod(instant, 1000);
    return Date.UTC(fields.year, fields.month - 1, fields.day, hour, fields.minute, fields.second) - wholeSecond;
  }

  /** The zone's wall-clock reading at `instant`, as a local value. */
  toLocal(zone: string, instant: number): number {
    return instant + this.offsetAt(zone, instant);
  }

  /**
   * The instant at which the zone's clock shows `local`.
   * - Twice on a fall-back day (01:30 in New York on 2026-11-01): the first occurrence, so a period
   *   ending then ends as early as the clock first says it should.
   * - Never on a spring-forward day (02:30 in New York on 2026-03-08): the first instant after it,
   *   which is the transition itself (03:00 local), so nothing waits longer than the gap requires.
   */
  toInstant(zone: string, local: number): number {
    // Offsets a day either side bracket any single transition near `local`.
    const a = local - this.offsetAt(zone, local - DAY_MS);
    const b = local - this.offsetAt(zone, local + DAY_MS);
    const earlier = Math.min(a, b);
    const later = Math.max(a, b);
    if (this.toLocal(zone, earlier) === local) return earlier;
    if (this.toLocal(zone, later) === local) return later;
    return this.firstInstantShowingAtLeast(zone, local, earlier, later);
  }

  /**
   * Binary search, to the millisecond, for the first instant whose wall clock reads `local` or later.
   * Inside a spring-forward bracket the wall clock only moves forward, so the search is monotonic.
   */
  private firstInstantShowingAtLeast(zone: string, local: number, low: number, high: number): number {
    if (this.toLocal(zone, low) >= local) return low;
    let before = low;
    let atOrAfter = high;
    while (atOrAfter - before > 1) {
      const middle = before + Math.floor((atOrAfter - before) / 2);
      if (this.toLocal(zone, middle) >= local) atOrAfter = middle;
      else before = middle;
    }
    return atOrAfter;
  }

  private formatter(zone: string): Intl.DateTimeFormat | null {
    const cached = this.formatters.get(zone);
    if (cached !== undefined) return cached;
    const created = createFormatter(zone);
    if (this.formatters.size >= MAX_CACHED_ZONES) this.formatters.clear();
    this.formatters.set(zone, created);
    return created;
  }
}

function createFormatter(zone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    // RangeError: not a zone this runtime's ICU knows (or not a string it accepts as one).
    return null;
  }
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
