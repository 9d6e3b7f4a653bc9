/**
 * The inbox seqs a session already sent, bounded. Live items of one user can arrive out of seq order
 * (the in-app worker stores a batch concurrently), so "highest seq sent" is not enough to de-duplicate.
 */
export class RecentSeqs {
  private readonly seen = new Set<number>();

  constructor(private readonly capacity: number) {}

  /** Records the seq; false when it was already recorded. */
  add(seq: number): boolean {
    if (this.seen.has(seq)) return false;
    this.seen.add(seq);
    if (this.seen.size > this.capacity) {
      // Sets iterate in insertion order: drop the oldest.
      const oldest = this.seen.values().next().value as number;
      this.seen.delete(oldest);
    }
    return true;
  }
}
