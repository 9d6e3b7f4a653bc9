/**
 * Keeps ingest's tables small: on a timer, each task deletes expired rows in bounded statements (a
 * batch at a time, so no statement holds many locks or writes much WAL at once), repeating while full
 * batches come back, up to a number of rounds per tick so a backlog is worked off over several ticks.
 */
import type { Logger } from '@notify/runner';

export interface PurgeTask {
  name: string;
  /** Deletes up to `limit` rows expired at `now`; answers how many it deleted. */
  purge(now: number, limit: number): Promise<number>;
}

export interface PurgeSettings {
  intervalMs: number;
  batch: number;
  maxRounds: number;
}

export class Purger {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly tasks: readonly PurgeTask[],
    private readonly settings: PurgeSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      // A tick still purging when the next one is due is left to finish; the next tick does the rest.
      this.running ??= this.runOnce().finally(() => {
        this.running = null;
      });
    }, this.settings.intervalMs);
    this.timer.unref();
  }

  /** One pass over every task; a failing task is logged and retried at the next tick. Answers rows deleted per task. */
  async runOnce(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const task of this.tasks) {
      let total = 0;
      try {
        for (let round = 0; round < this.settings.maxRounds; round++) {
          const n = await task.purge(this.now(), this.settings.batch);
          total += n;
          if (n < this.settings.batch) break;
        }
      } catch (error) {
        this.log.warn({ err: error, task: task.name }, 'purge failed; retrying at the next tick');
      }
      deleted[task.name] = total;
    }
    if (Object.values(deleted).some((n) => n > 0)) this.log.debug({ deleted }, 'expired rows purged');
    return deleted;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
