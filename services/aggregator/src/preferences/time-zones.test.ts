import { at, iso } from './test-fixtures';
import { TimeZones, validTimeZone } from './time-zones';

const HOUR = 60 * 60 * 1000;
/** A wall-clock reading as the local value TimeZones uses. */
const local = (text: string): number => Date.parse(`${text}Z`);

describe('validTimeZone', () => {
  it.each(['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Tokyo', 'Etc/GMT+5', 'america/new_york'])(
    'accepts %s',
    (zone) => {
      expect(validTimeZone(zone)).toBe(true);
    },
  );

  it.each(['', 'Nope/Nowhere', 'EST5EDT6', ' UTC', 'Mars/Olympus_Mons'])('refuses %j', (zone) => {
    expect(validTimeZone(zone)).toBe(false);
  });
});

describe('TimeZones', () => {
  const zones = new TimeZones();

  describe('resolve', () => {
    it('takes the first valid candidate', () => {
      expect(zones.resolve(null, 'Asia/Tokyo', 'Europe/London')).toBe('Asia/Tokyo');
      expect(zones.resolve('Nope/Nowhere', undefined, 'Europe/London')).toBe('Europe/London');
    });

    it('falls back to UTC when none is valid', () => {
      expect(zones.resolve('Nope/Nowhere', '', null)).toBe('UTC');
      expect(zones.resolve()).toBe('UTC');
    });

    it('keeps answering the same once a zone is cached, valid or not', () => {
      const cached = new TimeZones();
      expect(cached.resolve('Nope/Nowhere', 'Asia/Tokyo')).toBe('Asia/Tokyo');
      expect(cached.resolve('Nope/Nowhere', 'Asia/Tokyo')).toBe('Asia/Tokyo');
    });
  });

  describe('offsetAt', () => {
    it.each([
      ['UTC', '2026-01-15T12:00:00.000Z', 0],
      ['Asia/Kolkata', '2026-01-15T12:00:00.000Z', 5.5 * HOUR],
      ['Asia/Tokyo', '2026-07-15T12:00:00.000Z', 9 * HOUR],
      ['America/New_York', '2026-01-15T12:00:00.000Z', -5 * HOUR],
      ['America/New_York', '2026-07-15T12:00:00.000Z', -4 * HOUR],
      ['Europe/London', '2026-01-15T12:00:00.000Z', 0],
      ['Europe/London', '2026-07-15T12:00:00.000Z', 1 * HOUR],
      // Either side of the New York spring-forward instant, 2026-03-08T07:00Z.
      ['America/New_York', '2026-03-08T06:59:59.999Z', -5 * HOUR],
      ['America/New_York', '2026-03-08T07:00:00.000Z', -4 * HOUR],
    ])('%s at %s is %d ms', (zone, instant, offset) => {
      expect(zones.offsetAt(zone, at(instant))).toBe(offset);
    });

    it('reads an invalid zone as UTC', () => {
      expect(zones.offsetAt('Nope/Nowhere', at('2026-07-15T12:00:00.000Z'))).toBe(0);
    });

    it('keeps milliseconds when reading the wall clock', () => {
      expect(zones.toLocal('Asia/Kolkata', at('2026-01-15T12:00:00.123Z'))).toBe(local('2026-01-15T17:30:00.123'));
    });
  });

  describe('toInstant', () => {
    it.each([
      ['UTC', '2026-01-15T07:00', '2026-01-15T07:00:00.000Z'],
      ['Asia/Kolkata', '2026-01-15T07:00', '2026-01-15T01:30:00.000Z'],
      ['America/New_York', '2026-01-15T07:00', '2026-01-15T12:00:00.000Z'],
      ['America/New_York', '2026-07-15T07:00', '2026-07-15T11:00:00.000Z'],
      ['America/New_York', '2026-03-08T07:00', '2026-03-08T11:00:00.000Z'],
      ['America/New_York', '2026-11-01T07:00', '2026-11-01T12:00:00.000Z'],
    ])('%s %s is %s', (zone, wallClock, instant) => {
      expect(iso(zones.toInstant(zone, local(wallClock)))).toBe(instant);
    });

    it('resolves a time skipped by spring-forward to the transition, the first valid instant after it', () => {
      // New York 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z; 02:00 to 02:59 never happen.
      expect(iso(zones.toInstant('America/New_York', local('2026-03-08T02:30')))).toBe('2026-03-08T07:00:00.000Z');
      expect(iso(zones.toInstant('America/New_York', local('2026-03-08T02:00')))).toBe('2026-03-08T07:00:00.000Z');
      expect(iso(zones.toInstant('America/New_York', local('2026-03-08T03:00')))).toBe('2026-03-08T07:00:00.000Z');
      // London 2026-03-29: 01:00 GMT becomes 02:00 BST at 01:00Z.
      expect(iso(zones.toInstant('Europe/London', local('2026-03-29T01:30')))).toBe('2026-03-29T01:00:00.000Z');
    });

    it('resolves a time repeated by fall-back to its first occurrence', () => {
      // New York 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
      expect(iso(zones.toInstant('America/New_York', local('2026-11-01T01:30')))).toBe('2026-11-01T05:30:00.000Z');
      // London 2026-10-25: 01:30 happens at 00:30Z (BST) and again at 01:30Z (GMT).
      expect(iso(zones.toInstant('Europe/London', local('2026-10-25T01:30')))).toBe('2026-10-25T00:30:00.000Z');
    });

    it('round-trips every quarter hour across both New York transitions', () => {
      for (let instant = at('2026-03-07T00:00:00Z'); instant < at('2026-03-10T00:00:00Z'); instant += HOUR / 4) {
        expect(zones.toInstant('America/New_York', zones.toLocal('America/New_York', instant))).toBe(instant);
      }
      for (let instant = at('2026-10-31T00:00:00Z'); instant < at('2026-11-03T00:00:00Z'); instant += HOUR / 4) {
        const back = zones.toInstant('America/New_York', zones.toLocal('America/New_York', instant));
        // The repeated hour maps back to its first occurrence, one hour earlier.
        const repeated = instant >= at('2026-11-01T06:00:00Z') && instant < at('2026-11-01T07:00:00Z');
        expect(back).toBe(repeated ? instant - HOUR : instant);
      }
    });
  });
});
