/**
 * Reconnect delays: exponential with jitter, so a thousand browsers dropped by one API restart do not
 * come back in the same instant. Each delay is drawn from the upper half of its exponential step, which
 * keeps the growth (a flapping server is not hammered) while spreading the clients out.
 */
export interface BackoffOptions {
  /** The first retry's step, in milliseconds (default 500). */
  initialMs?: number;
  /** No delay is longer than this (default 30 000). */
  maxMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) throw new RangeError('backoff needs 0 < initialMs <= maxMs');
  }

  /** The delay before the next retry; each call without a reset() doubles the step up to maxMs. */
  next(): number {
    const step = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  /** A connection succeeded: the next failure starts from the first step again. */
  reset(): void {
    this.attempt = 0;
  }
}
