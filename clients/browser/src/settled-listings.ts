/**
 * A REST listing of the inbox can miss a row whose transaction commits after that of a row with a
 * higher seq. Once a listing is `settleMs` old, every row stored before the newest one it showed is
 * visible, so that seq bounds what may be delivered from later listings without leaving a hole.
 */
export class SettledListings {
  private listings: { seq: number; at: number }[] = [];
  private bound: number | null = null;

  constructor(
    private readonly settleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A listing made at `at` showed `seq` as its newest; returns the seq up to which delivery is safe now, or null. */
  record(seq: number, at: number): number | null {
    this.listings.push({ seq, at });
    const now = this.now();
    const settled = this.listings.filter((listing) => listing.at + this.settleMs <= now);
    if (settled.length > 0) {
      this.bound = Math.max(this.bound ?? -Infinity, ...settled.map((listing) => listing.seq));
      this.listings = this.listings.filter((listing) => !settled.includes(listing));
    }
    return this.bound;
  }
}
