import { FREQUENCY_WINDOW_MS } from './frequency-limit';
import { FrequencyWindow } from './frequency-window';

const HOUR = FREQUENCY_WINDOW_MS;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

describe('FrequencyWindow', () => {
  it('counts nothing for a recipient it never saw', () => {
    expect(new FrequencyWindow().sendsInLastHour('acme/u1', 'ORDER_FILLED', T0)).toBe(0);
  });

  it('counts sends per recipient and type', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'ORDER_FILLED', T0);
    window.record('acme/u1', 'ORDER_FILLED', T0 + 1);
    window.record('acme/u1', 'MARGIN_CALL', T0 + 2);
    window.record('acme/u2', 'ORDER_FILLED', T0 + 3);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + 10)).toBe(2);
    expect(window.sendsInLastHour('acme/u1', 'MARGIN_CALL', T0 + 10)).toBe(1);
    expect(window.sendsInLastHour('acme/u2', 'ORDER_FILLED', T0 + 10)).toBe(1);
  });

  it('keeps pairs whose parts contain separators apart', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'A"]["B', T0);
    expect(window.sendsInLastHour('acme/u1","A', 'B', T0)).toBe(0);
  });

  it('lets a send expire exactly one hour after it was recorded', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'ORDER_FILLED', T0);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR - 1)).toBe(1);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR)).toBe(0);
  });

  it('slides: older sends leave while newer ones still count', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'ORDER_FILLED', T0);
    window.record('acme/u1', 'ORDER_FILLED', T0 + 30 * 60_000);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR)).toBe(1);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR + 30 * 60_000)).toBe(0);
  });

  it('accepts sends recorded out of order', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'ORDER_FILLED', T0 + 1_000);
    window.record('acme/u1', 'ORDER_FILLED', T0);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR)).toBe(1);
  });

  it('keeps at most maxPerKey sends per pair, the newest', () => {
    const window = new FrequencyWindow(3);
    for (let i = 0; i < 10; i++) window.record('acme/u1', 'ORDER_FILLED', T0 + i);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + 10)).toBe(3);
    // The newest three (T0+7..T0+9) survive, so the count drops only when they expire.
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + 7 + HOUR - 1)).toBe(3);
    expect(window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + 7 + HOUR)).toBe(2);
  });

  it('drops pairs that went quiet for an hour, so memory follows recent traffic', () => {
    const window = new FrequencyWindow();
    for (let user = 0; user < 100; user++) window.record(`acme/u${user}`, 'ORDER_FILLED', T0 + user);
    expect(window.keys).toBe(100);
    window.record('acme/other', 'ORDER_FILLED', T0 + HOUR + 50);
    // u0..u50 sent at or before T0+50, an hour or more ago; u51..u99 and the new pair remain.
    expect(window.keys).toBe(50);
  });

  it('forgets a pair once reading it finds every send expired', () => {
    const window = new FrequencyWindow();
    window.record('acme/u1', 'ORDER_FILLED', T0);
    window.sendsInLastHour('acme/u1', 'ORDER_FILLED', T0 + HOUR);
    expect(window.keys).toBe(0);
  });

  it.each([0, -1, 1.5])('refuses maxPerKey %d', (max) => {
    expect(() => new FrequencyWindow(max)).toThrow(RangeError);
  });
});
