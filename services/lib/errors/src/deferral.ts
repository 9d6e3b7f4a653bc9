/**
 * Not a failure: the record is not due yet (a retry whose not_before lies ahead). A handler throws
 * it so the runner waits and hands the record over again, without counting or logging a failure;
 * waiting is how a retry topic works, and alerts on failures must not fire for it.
 *
 * It extends Error only so a deferral that escapes somewhere unprepared still carries a stack and a
 * message; nothing decides on it by its text.
 */
export class Deferral extends Error {
  constructor(
    /** Epoch milliseconds at which the record is due. */
    readonly untilMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'Deferral';
  }

  /** How long from `nowMs` until the record is due; never negative. */
  remainingMs(nowMs: number): number {
    return Math.max(0, this.untilMs - nowMs);
  }
}
