/**
 * The feedback timeout of a channel whose provider reports later: every interval, close the messages
 * accepted longer than the timeout ago that no report closed. Every replica runs one; the closing
 * statement skips rows another replica holds and closes each row once, so they need no coordination.
 * A sweep that fails (database or Kafka unavailable) leaves its rows open, is logged, and is tried
 * again at the next interval.
 */
import type { Logger } from '@notify/runner';
import type { MessageCloser } from './message-closer';

export interface FeedbackSweeperOptions {
  closer: Pick<MessageCloser, 'expire'>;
  channel: string;
  timeoutMs: number;
  intervalMs: number;
  log: Logger;
  /** Rows closed (and published) per transaction; a sweep repeats until fewer are left. */
  batchSize?: number;
}

export interface FeedbackSweeper {
  /** Waits for a running sweep and stops; no sweep starts afterwards. */
  stop(): Promise<void>;
}

export function startFeedbackSweeper(options: FeedbackSweeperOptions): FeedbackSweeper {
  const { closer, channel, timeoutMs, intervalMs, log } = options;
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const sweep = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const closed = await closer.expire(channel, timeoutMs, batchSize);
      total += closed;
      if (closed < batchSize || stopped) return total;
    }
  };
  const tick = (): void => {
    timer = undefined;
    running = sweep()
      .then(
        (closed) => {
          if (closed > 0) log.info({ channel, closed, timeoutMs }, 'closed messages without provider feedback as sent (no_feedback)');
        },
        (error: unknown) => log.error({ err: error, channel }, 'feedback timeout sweep failed; retried at the next interval'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  // At once: a worker that was down for a while closes what expired meanwhile without waiting an interval.
  tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
