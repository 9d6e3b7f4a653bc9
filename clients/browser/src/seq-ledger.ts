/**
 * Which inbox seqs were delivered, and the cursor to reconnect with.
 *
 * Seqs come from one table-wide sequence: a user's seqs have gaps that mean nothing, and a row can
 * become visible after a row with a higher seq (its transaction committed later). Reconnecting from the
 * highest seq seen could skip such a row, so the cursor moves past a seq only once the socket that
 * brought it has stayed open `settleMs` longer, by when anything stored before it has arrived on that
 * socket too. Whatever lies above the cursor is asked for again after a reconnect and dropped here as
 * already delivered.
 */
export interface SeqLedgerOptions {
  settleMs: number;
  /** Seqs at or below the cursor kept for de-duplication; older ones are forgotten beyond this many. */
  capacity: number;
  now?: () => number;
}

export class SeqLedger {
  private readonly delivered = new Set<number>();
  /** Seqs received on the open socket that have not settled yet, in arrival order. */
  private unsettled: { seq: number; at: number }[] = [];
  private position: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: SeqLedgerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Everything at or below this seq is delivered or known to the app; null before the first connect. */
  get cursor(): number | null {
    this.settle(this.now());
    return this.position;
  }

  /** Where delivery starts: the app already shows everything up to this seq. Only the first call counts. */
  startAfter(seq: number): void {
    this.position ??= seq;
  }

  /** True the first time a seq is seen; `fromSocket` seqs move the cursor once they have settled. */
  admit(seq: number, fromSocket: boolean): boolean {
    const now = this.now();
    this.settle(now);
    if (this.delivered.has(seq)) return false;
    this.delivered.add(seq);
    if (fromSocket) this.unsettled.push({ seq, at: now });
    this.forget();
    return true;
  }

  /** The socket closed: what settled before it closed moves the cursor; the rest will be asked for again. */
  socketClosed(): void {
    this.settle(this.now());
    this.unsettled = [];
  }

  private settle(now: number): void {
    let settled = 0;
    for (const { seq, at } of this.unsettled) {
      if (at + this.options.settleMs > now) break;
      this.position = Math.max(this.position ?? seq, seq);
      settled++;
    }
    if (settled > 0) this.unsettled = this.unsettled.slice(settled);
  }

  /** Seqs above the cursor are never forgotten: a catch-up may send them again. */
  private forget(): void {
    const { capacity } = this.options;
    if (this.delivered.size <= capacity + capacity / 4 || this.position === null) return;
    const cursor = this.position;
    for (const seq of this.delivered) {
      if (this.delivered.size <= capacity) break;
      if (seq <= cursor) this.delivered.delete(seq);
    }
  }
}
