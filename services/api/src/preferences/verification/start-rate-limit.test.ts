import { decideStart, stricter } from './start-rate-limit';

const WINDOW = 15 * 60_000;
const NOW = 1_000_000_000;

describe('decideStart', () => {
  it('allows up to the limit within the window', () => {
    expect(decideStart([], 3, WINDOW, NOW)).toEqual({ allowed: true });
    expect(decideStart([NOW - 1000, NOW - 2000], 3, WINDOW, NOW)).toEqual({ allowed: true });
  });

  it('refuses the start over the limit until the oldest one leaves the window', () => {
    const starts = [NOW - 10 * 60_000, NOW - 5 * 60_000, NOW - 60_000];
    expect(decideStart(starts, 3, WINDOW, NOW)).toEqual({ allowed: false, retryAfterSeconds: 5 * 60 });
  });

  it('ignores starts older than the window', () => {
    expect(decideStart([NOW - WINDOW, NOW - WINDOW - 1, NOW - 1], 2, WINDOW, NOW)).toEqual({ allowed: true });
  });

  it('waits for enough starts to leave when far over the limit', () => {
    const starts = [NOW - 14 * 60_000, NOW - 13 * 60_000, NOW - 2 * 60_000, NOW - 60_000];
    // Two must leave for a third start: the second oldest leaves in 2 minutes.
    expect(decideStart(starts, 3, WINDOW, NOW)).toEqual({ allowed: false, retryAfterSeconds: 120 });
  });

  it('never asks to wait less than a second', () => {
    expect(decideStart([NOW - WINDOW + 1], 1, WINDOW, NOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('combines two limits by the longer wait', () => {
    expect(stricter({ allowed: true }, { allowed: false, retryAfterSeconds: 5 })).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect(stricter({ allowed: false, retryAfterSeconds: 9 }, { allowed: false, retryAfterSeconds: 5 })).toEqual({
      allowed: false,
      retryAfterSeconds: 9,
    });
    expect(stricter({ allowed: true }, { allowed: true })).toEqual({ allowed: true });
  });
});
