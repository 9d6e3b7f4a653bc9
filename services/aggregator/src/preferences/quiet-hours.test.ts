import type { QuietHours } from '@notify/schemas';
import { quietPeriodEnd, quietSchedule, type QuietSchedule } from './quiet-hours';
import { at, iso } from './test-fixtures';
import { TimeZones } from './time-zones';

const zones = new TimeZones();

function schedule(start: string, end: string, timezone: string | null = 'UTC', recipientZone: string | null = null): QuietSchedule {
  const resolved = quietSchedule({ start, end, timezone }, recipientZone, zones);
  if (!resolved) throw new Error(`no schedule for ${start}-${end}`);
  return resolved;
}

/** The end of the quiet period at `now`, as ISO text, or null when outside quiet hours. */
function endAt(s: QuietSchedule, now: string): string | null {
  return iso(quietPeriodEnd(s, at(now), zones));
}

describe('quietSchedule', () => {
  it('has none without quiet hours', () => {
    expect(quietSchedule(null, 'UTC', zones)).toBeNull();
  });

  it('has none when start equals end', () => {
    expect(quietSchedule({ start: '22:00', end: '22:00', timezone: null }, 'UTC', zones)).toBeNull();
  });

  it.each<QuietHours>([
    { start: '25:00', end: '07:00', timezone: null },
    { start: '22:00', end: 'later', timezone: null },
  ])('has none when a time is malformed: %j', (quietHours) => {
    expect(quietSchedule(quietHours, 'UTC', zones)).toBeNull();
  });

  it('uses the period zone, else the recipient zone, else UTC, skipping invalid ones', () => {
    expect(schedule('22:00', '07:00', 'Asia/Tokyo', 'Europe/London').zone).toBe('Asia/Tokyo');
    expect(schedule('22:00', '07:00', null, 'Europe/London').zone).toBe('Europe/London');
    expect(schedule('22:00', '07:00', 'Nope/Nowhere', 'Europe/London').zone).toBe('Europe/London');
    expect(schedule('22:00', '07:00', 'Nope/Nowhere', 'Also/Invalid').zone).toBe('UTC');
    expect(schedule('22:00', '07:00', null, null).zone).toBe('UTC');
  });

  it('reads the times as minutes after midnight', () => {
    expect(schedule('22:30', '07:15')).toEqual({ startMinute: 1350, endMinute: 435, zone: 'UTC' });
  });
});

describe('quietPeriodEnd', () => {
  describe('a period crossing midnight (22:00–07:00 UTC)', () => {
    const night = schedule('22:00', '07:00');

    it('is inside from the start, and ends the next morning', () => {
      expect(endAt(night, '2026-06-01T22:00:00.000Z')).toBe('2026-06-02T07:00:00.000Z');
      expect(endAt(night, '2026-06-01T23:30:00.000Z')).toBe('2026-06-02T07:00:00.000Z');
    });

    it('is inside after midnight, and ends the same morning', () => {
      expect(endAt(night, '2026-06-02T00:00:00.000Z')).toBe('2026-06-02T07:00:00.000Z');
      expect(endAt(night, '2026-06-02T06:59:59.999Z')).toBe('2026-06-02T07:00:00.000Z');
    });

    it('is outside from the end until the next start', () => {
      expect(endAt(night, '2026-06-02T07:00:00.000Z')).toBeNull();
      expect(endAt(night, '2026-06-02T12:00:00.000Z')).toBeNull();
      expect(endAt(night, '2026-06-02T21:59:59.999Z')).toBeNull();
    });
  });

  describe('a period within one day (13:00–14:30 UTC)', () => {
    const lunch = schedule('13:00', '14:30');

    it('is inside only between start and end', () => {
      expect(endAt(lunch, '2026-06-01T12:59:59.999Z')).toBeNull();
      expect(endAt(lunch, '2026-06-01T13:00:00.000Z')).toBe('2026-06-01T14:30:00.000Z');
      expect(endAt(lunch, '2026-06-01T14:29:00.000Z')).toBe('2026-06-01T14:30:00.000Z');
      expect(endAt(lunch, '2026-06-01T14:30:00.000Z')).toBeNull();
      expect(endAt(lunch, '2026-06-01T23:00:00.000Z')).toBeNull();
    });
  });

  it('reads the same instant in each recipient zone: night in Tokyo, morning in New York', () => {
    const now = '2026-06-01T14:00:00.000Z'; // 23:00 in Tokyo, 10:00 in New York
    expect(endAt(schedule('22:00', '07:00', 'Asia/Tokyo'), now)).toBe('2026-06-01T22:00:00.000Z');
    expect(endAt(schedule('22:00', '07:00', 'America/New_York'), now)).toBeNull();
  });

  it('handles a half-hour zone (Asia/Kolkata, +05:30)', () => {
    const kolkata = schedule('22:00', '07:00', 'Asia/Kolkata');
    expect(endAt(kolkata, '2026-06-01T18:00:00.000Z')).toBe('2026-06-02T01:30:00.000Z'); // 23:30 IST
    expect(endAt(kolkata, '2026-06-01T16:29:59.999Z')).toBeNull(); // 21:59 IST
    expect(endAt(kolkata, '2026-06-01T16:30:00.000Z')).toBe('2026-06-02T01:30:00.000Z'); // 22:00 IST
  });

  describe('New York, spring forward on 2026-03-08 (02:00 EST becomes 03:00 EDT at 07:00Z)', () => {
    const night = schedule('22:00', '07:00', 'America/New_York');

    it('ends at 07:00 EDT, a night one hour shorter', () => {
      expect(endAt(night, '2026-03-08T03:00:00.000Z')).toBe('2026-03-08T11:00:00.000Z'); // 22:00 EST, the start
      expect(endAt(night, '2026-03-08T06:00:00.000Z')).toBe('2026-03-08T11:00:00.000Z'); // 01:00 EST
      expect(endAt(night, '2026-03-08T08:00:00.000Z')).toBe('2026-03-08T11:00:00.000Z'); // 04:00 EDT
      expect(endAt(night, '2026-03-08T11:00:00.000Z')).toBeNull();
      expect(endAt(night, '2026-03-08T02:59:59.999Z')).toBeNull(); // 21:59 EST
    });

    it('ends a period whose end (02:30) does not exist at the transition, 03:00 EDT', () => {
      const early = schedule('22:00', '02:30', 'America/New_York');
      expect(endAt(early, '2026-03-08T06:45:00.000Z')).toBe('2026-03-08T07:00:00.000Z'); // 01:45 EST
      expect(endAt(early, '2026-03-08T07:00:00.000Z')).toBeNull(); // 03:00 EDT
    });

    it('has no period at all on the day when both ends fall in the gap', () => {
      const skipped = schedule('02:00', '02:45', 'America/New_York');
      expect(endAt(skipped, '2026-03-08T07:00:00.000Z')).toBeNull();
      expect(endAt(skipped, '2026-03-08T06:59:59.999Z')).toBeNull();
      // ...but the next day it is back: 02:10 EDT.
      expect(endAt(skipped, '2026-03-09T06:10:00.000Z')).toBe('2026-03-09T06:45:00.000Z');
    });
  });

  describe('New York, fall back on 2026-11-01 (02:00 EDT becomes 01:00 EST at 06:00Z)', () => {
    const night = schedule('22:00', '07:00', 'America/New_York');

    it('ends at 07:00 EST, a night one hour longer', () => {
      expect(endAt(night, '2026-11-01T02:00:00.000Z')).toBe('2026-11-01T12:00:00.000Z'); // 22:00 EDT, the start
      expect(endAt(night, '2026-11-01T05:30:00.000Z')).toBe('2026-11-01T12:00:00.000Z'); // first 01:30 (EDT)
      expect(endAt(night, '2026-11-01T06:30:00.000Z')).toBe('2026-11-01T12:00:00.000Z'); // second 01:30 (EST)
      expect(endAt(night, '2026-11-01T12:00:00.000Z')).toBeNull();
      expect(endAt(night, '2026-11-01T11:59:59.999Z')).toBe('2026-11-01T12:00:00.000Z');
    });

    it('ends a period whose end (01:30) happens twice at its first occurrence', () => {
      const early = schedule('22:00', '01:30', 'America/New_York');
      expect(endAt(early, '2026-11-01T05:00:00.000Z')).toBe('2026-11-01T05:30:00.000Z'); // 01:00 EDT
      // The second 01:15 (EST) is after the period ended; the repeated hour does not restart it.
      expect(endAt(early, '2026-11-01T06:15:00.000Z')).toBeNull();
    });
  });

  describe('London, spring forward on 2026-03-29 (01:00 GMT becomes 02:00 BST at 01:00Z)', () => {
    it('ends at 07:00 BST', () => {
      const night = schedule('23:00', '07:00', 'Europe/London');
      expect(endAt(night, '2026-03-29T00:30:00.000Z')).toBe('2026-03-29T06:00:00.000Z');
      expect(endAt(night, '2026-03-28T23:00:00.000Z')).toBe('2026-03-29T06:00:00.000Z'); // 23:00 GMT, the start
    });

    it('ends a period whose end (01:30) does not exist at the transition', () => {
      expect(endAt(schedule('00:00', '01:30', 'Europe/London'), '2026-03-29T00:45:00.000Z')).toBe('2026-03-29T01:00:00.000Z');
    });
  });

  describe('London, fall back on 2026-10-25 (02:00 BST becomes 01:00 GMT at 01:00Z)', () => {
    it('ends at 07:00 GMT', () => {
      const night = schedule('23:00', '07:00', 'Europe/London');
      expect(endAt(night, '2026-10-24T22:00:00.000Z')).toBe('2026-10-25T07:00:00.000Z'); // 23:00 BST, the start
      expect(endAt(night, '2026-10-25T00:30:00.000Z')).toBe('2026-10-25T07:00:00.000Z'); // first 01:30 (BST)
      expect(endAt(night, '2026-10-25T01:30:00.000Z')).toBe('2026-10-25T07:00:00.000Z'); // second 01:30 (GMT)
      expect(endAt(night, '2026-10-25T07:00:00.000Z')).toBeNull();
    });

    it('ends a period whose end (01:30) happens twice at its first occurrence', () => {
      const early = schedule('23:00', '01:30', 'Europe/London');
      expect(endAt(early, '2026-10-25T00:15:00.000Z')).toBe('2026-10-25T00:30:00.000Z');
      expect(endAt(early, '2026-10-25T01:15:00.000Z')).toBeNull();
    });
  });

  it('joins periods when a spring-forward gap swallows the pause between them', () => {
    // 02:30–02:00 pauses for half an hour each night, but on 2026-03-08 02:00 and 02:30 are both
    // skipped: the period ending then and the next one starting then meet at 07:00Z.
    const allButHalfAnHour = schedule('02:30', '02:00', 'America/New_York');
    expect(endAt(allButHalfAnHour, '2026-03-07T10:00:00.000Z')).toBe('2026-03-09T06:00:00.000Z'); // 05:00 EST → 02:00 EDT two days on
    expect(endAt(allButHalfAnHour, '2026-06-01T12:00:00.000Z')).toBe('2026-06-02T06:00:00.000Z'); // an ordinary day: 02:00 EDT
    expect(endAt(allButHalfAnHour, '2026-06-02T06:15:00.000Z')).toBeNull(); // 02:15 EDT, the pause
  });

  it('keeps the pause of a period lengthened by fall-back', () => {
    // 01:00–00:59 starting 10-31 ends 11-01 00:59 EDT (04:59Z); the next starts at the first 01:00
    // (05:00Z) and, an hour longer than usual, ends 11-02 00:59 EST (05:59Z).
    const almostAllDay = schedule('01:00', '00:59', 'America/New_York');
    expect(endAt(almostAllDay, '2026-11-01T04:58:00.000Z')).toBe('2026-11-01T04:59:00.000Z');
    expect(endAt(almostAllDay, '2026-11-01T04:59:30.000Z')).toBeNull();
    expect(endAt(almostAllDay, '2026-11-01T05:00:00.000Z')).toBe('2026-11-02T05:59:00.000Z');
  });
});
