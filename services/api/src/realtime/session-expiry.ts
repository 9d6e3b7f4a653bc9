/**
 * A live socket must not outlive the token that opened it: when the token stops being accepted the
 * session ends, unless the client has sent a fresh token for the same user first.
 */

// setTimeout fires at once for delays beyond a signed 32-bit millisecond count (about 24.8 days).
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export class SessionExpiry {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private acceptedUntilMs: number,
    private readonly onExpired: () => void,
    private readonly now: () => number = Date.now,
  ) {
    this.schedule();
  }

  get deadlineMs(): number {
    return this.acceptedUntilMs;
  }

  /** A fresh token: the session lives until it expires instead (a token never shortens a session). */
  extend(acceptedUntilMs: number): void {
    if (acceptedUntilMs <= this.acceptedUntilMs) return;
    this.acceptedUntilMs = acceptedUntilMs;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const wait = Math.min(Math.max(0, this.acceptedUntilMs - this.now()), LONGEST_TIMER_MS);
    this.timer = setTimeout(() => {
      if (this.now() >= this.acceptedUntilMs) this.onExpired();
      else this.schedule();
    }, wait);
    this.timer.unref();
  }
}
