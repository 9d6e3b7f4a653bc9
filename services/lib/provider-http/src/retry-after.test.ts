import { retryAfterMs } from './retry-after';

const NOW = Date.parse('2024-01-15T10:00:00Z');

describe('retryAfterMs', () => {
  it('reads delta seconds', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs(' 5 ', NOW)).toBe(5_000);
    expect(retryAfterMs('0', NOW)).toBe(0);
  });

  it('reads an HTTP date as the time left until then', () => {
    expect(retryAfterMs('Mon, 15 Jan 2024 10:00:30 GMT', NOW)).toBe(30_000);
  });

  it('gives 0 for a date already passed', () => {
    expect(retryAfterMs('Mon, 15 Jan 2024 09:59:00 GMT', NOW)).toBe(0);
  });

  it('uses the first value when the header repeats', () => {
    expect(retryAfterMs(['7', '60'], NOW)).toBe(7_000);
  });

  it.each([undefined, '', '   ', 'soon', 'in a minute', []])('returns undefined for %j', (value) => {
    expect(retryAfterMs(value as string | string[] | undefined, NOW)).toBeUndefined();
  });
});
