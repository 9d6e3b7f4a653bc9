import { SeqLedger } from './seq-ledger';

function ledger(settleMs = 1000, capacity = 100) {
  const clock = { now: 0 };
  return { clock, ledger: new SeqLedger({ settleMs, capacity, now: () => clock.now }) };
}

describe('SeqLedger', () => {
  it('admits each seq once, whatever brought it', () => {
    const { ledger: l } = ledger();
    l.startAfter(10);
    expect([l.admit(12, true), l.admit(12, true), l.admit(15, false), l.admit(15, true), l.admit(11, true)]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('keeps the cursor where the app started until socket seqs have settled', () => {
    const { clock, ledger: l } = ledger(1000);
    l.startAfter(10);
    l.startAfter(99);
    expect(l.cursor).toBe(10);
    l.admit(20, true);
    clock.now = 999;
    expect(l.cursor).toBe(10);
    clock.now = 1000;
    expect(l.cursor).toBe(20);
  });

  it('does not move the cursor past seqs whose socket closed before they settled, nor past REST-filled seqs', () => {
    const { clock, ledger: l } = ledger(1000);
    l.startAfter(0);
    l.admit(5, true);
    clock.now = 1500;
    l.admit(9, true);
    l.admit(30, false);
    clock.now = 1600;
    l.socketClosed();
    clock.now = 10_000;
    expect(l.cursor).toBe(5);
    // Asked for again after the reconnect: already delivered.
    expect(l.admit(9, true)).toBe(false);
    expect(l.admit(30, true)).toBe(false);
  });

  it('forgets old seqs at or below the cursor beyond its capacity, never those above it', () => {
    const { clock, ledger: l } = ledger(0, 4);
    l.startAfter(0);
    for (let seq = 1; seq <= 8; seq++) l.admit(seq, true);
    clock.now = 1;
    expect(l.cursor).toBe(8);
    l.admit(9, true);
    expect(l.admit(1, true)).toBe(true);
    expect(l.admit(9, true)).toBe(false);

    const unsettled = ledger(1000, 4).ledger;
    unsettled.startAfter(0);
    for (let seq = 1; seq <= 20; seq++) unsettled.admit(seq, true);
    for (let seq = 1; seq <= 20; seq++) expect(unsettled.admit(seq, true)).toBe(false);
  });
});
