/**
 * Recipients ordered by when their next timer is due, so a tick looks only at the due ones instead
 * of scanning every recipient of the partition. Entries are never updated in place: a change pushes
 * a new entry, and an entry that no longer matches the recipient's state is simply skipped when it
 * comes up (the caller re-checks the state).
 */
export class TimerHeap {
  private readonly dues: number[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.dues.length;
  }

  push(due: number, key: string): void {
    this.dues.push(due);
    this.keys.push(key);
    let i = this.dues.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.dues[parent] as number) <= due) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Due time of the earliest entry; Infinity when empty. */
  peekDue(): number {
    return this.dues[0] ?? Infinity;
  }

  /** Removes and returns the keys of up to `limit` distinct entries due at or before `now`. */
  popDue(now: number, limit: number): string[] {
    const popped = new Set<string>();
    while (popped.size < limit && this.dues.length > 0 && (this.dues[0] as number) <= now) popped.add(this.pop());
    return [...popped];
  }

  private pop(): string {
    const key = this.keys[0] as string;
    const lastDue = this.dues.pop() as number;
    const lastKey = this.keys.pop() as string;
    if (this.dues.length > 0) {
      this.dues[0] = lastDue;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.dues.length && (this.dues[left] as number) < (this.dues[smallest] as number)) smallest = left;
        if (right < this.dues.length && (this.dues[right] as number) < (this.dues[smallest] as number)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return key;
  }

  private swap(a: number, b: number): void {
    [this.dues[a], this.dues[b]] = [this.dues[b] as number, this.dues[a] as number];
    [this.keys[a], this.keys[b]] = [this.keys[b] as string, this.keys[a] as string];
  }
}
