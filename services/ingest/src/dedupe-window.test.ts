import { DedupeWindow } from './dedupe-window';

describe('DedupeWindow', () => {
  it('lets the first claim of a key through', () => {
    expect(new DedupeWindow(1_000, 10).claim('k', 'evt-1', 0)).toBeNull();
  });

  it('reports the holder when another event claims the key inside the window', () => {
    const w = new DedupeWindow(1_000, 10);
    w.claim('k', 'evt-1', 0);
    expect(w.claim('k', 'evt-2', 999)).toBe('evt-1');
  });

  it('does not treat the same event redelivered as a duplicate', () => {
    const w = new DedupeWindow(1_000, 10);
    w.claim('k', 'evt-1', 0);
    expect(w.claim('k', 'evt-1', 10)).toBeNull();
    expect(w.claim('k', 'evt-1', 500)).toBeNull();
    // ...and a redelivery does not extend the original claim's window.
    expect(w.claim('k', 'evt-2', 1_000)).toBeNull();
  });

  it('lets another event take the key once the window has passed, and then holds it for that event', () => {
    const w = new DedupeWindow(1_000, 10);
    w.claim('k', 'evt-1', 0);
    expect(w.claim('k', 'evt-2', 1_000)).toBeNull();
    expect(w.claim('k', 'evt-1', 1_500)).toBe('evt-2');
    expect(w.claim('k', 'evt-3', 1_999)).toBe('evt-2');
    expect(w.claim('k', 'evt-3', 2_000)).toBeNull();
  });

  it('keeps keys independent', () => {
    const w = new DedupeWindow(1_000, 10);
    w.claim('a', 'evt-1', 0);
    expect(w.claim('b', 'evt-2', 1)).toBeNull();
    expect(w.claim('a', 'evt-2', 2)).toBe('evt-1');
  });

  it('never holds more than maxKeys, evicting the oldest claims first', () => {
    const w = new DedupeWindow(60_000, 3);
    for (let i = 0; i < 10; i++) {
      w.claim(`k${i}`, `evt-${i}`, i);
      expect(w.size).toBeLessThanOrEqual(3);
    }
    expect(w.size).toBe(3);
    // k0..k6 were evicted, so their keys are free again; k7..k9 are still held.
    expect(w.claim('k9', 'other', 20)).toBe('evt-9');
    expect(w.claim('k7', 'other', 21)).toBe('evt-7');
    expect(w.claim('k0', 'other', 22)).toBeNull();
  });

  it('drops expired claims as new ones arrive', () => {
    const w = new DedupeWindow(100, 1_000);
    for (let i = 0; i < 5; i++) w.claim(`old${i}`, `evt-${i}`, i);
    expect(w.size).toBe(5);
    w.claim('fresh', 'evt-new', 200);
    expect(w.size).toBe(1);
  });

  it('moves a re-taken key to the young end so it is not evicted as if it were old', () => {
    const w = new DedupeWindow(100, 2);
    w.claim('a', 'evt-1', 0);
    w.claim('b', 'evt-2', 50);
    w.claim('a', 'evt-3', 120); // a's first claim expired: evt-3 takes it (and b expires only at 150)
    w.claim('c', 'evt-4', 130); // over the bound: the oldest, b, goes
    expect(w.claim('a', 'other', 140)).toBe('evt-3');
    expect(w.claim('b', 'other', 141)).toBeNull();
  });
});
