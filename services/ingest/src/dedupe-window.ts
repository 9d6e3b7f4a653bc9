/**
 * Remembers which event first claimed each dedupe key, for a time window and up to a bounded number
 * of keys (oldest evicted first). Events are keyed by dedupe key on the topic, so one partition
 * owner sees every claim of a key.
 */
export class DedupeWindow {
  /** Insertion-ordered, so the first entries are the oldest. */
  private readonly claims = new Map<string, { eventId: string; at: number }>();

  constructor(private readonly windowMs: number, private readonly maxKeys: number) {}

  /**
   * Returns the event id that already holds this key within the window, or null when this event
   * may proceed (first claim, the same event redelivered, or the window has passed).
   */
  claim(key: string, eventId: string, now: number): string | null {
    const held = this.claims.get(key);
    if (held && now - held.at < this.windowMs && held.eventId !== eventId) return held.eventId;
    if (!held || held.eventId !== eventId) {
      this.claims.delete(key);
      this.claims.set(key, { eventId, at: now });
      this.evict(now);
    }
    return null;
  }

  get size(): number {
    return this.claims.size;
  }

  private evict(now: number): void {
    for (const [key, claim] of this.claims) {
      if (this.claims.size <= this.maxKeys && now - claim.at < this.windowMs) break;
      this.claims.delete(key);
    }
  }
}
