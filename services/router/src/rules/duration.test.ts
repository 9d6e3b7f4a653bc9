import { parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['250ms', 250],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['90', 90_000],
    [' 5M ', 300_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it('reads plain numbers as seconds', () => {
    expect(parseDurationMs(45)).toBe(45_000);
    expect(parseDurationMs(0.5)).toBe(500);
    expect(parseDurationMs(0)).toBe(0);
  });

  it.each(['', '5x', 'm5', '5 m', '-5m', '1h-30m', 'soon', '5m30'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('rejects negative, infinite and non-scalar values', () => {
    expect(parseDurationMs(-1)).toBeUndefined();
    expect(parseDurationMs(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(parseDurationMs(null)).toBeUndefined();
    expect(parseDurationMs(true)).toBeUndefined();
    expect(parseDurationMs(['5m'])).toBeUndefined();
  });
});
