import { createLogger } from '@notify/runner';
import { startFeedbackSweeper } from './feedback-sweeper';

const log = createLogger('feedback-sweeper-test', 'silent');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers expire() from a script of how many rows each call closes (or an error to throw), then 0. */
function scripted(answers: Array<number | Error>) {
  const calls: Array<{ channel: string; timeoutMs: number; limit: number }> = [];
  return {
    calls,
    expire: async (channel: string, timeoutMs: number, limit: number) => {
      calls.push({ channel, timeoutMs, limit });
      const next = answers.shift() ?? 0;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

describe('feedback sweeper', () => {
  it('sweeps at once, repeats while a batch comes back full, then waits for the interval', async () => {
    const closer = scripted([3, 3, 1, 2]);
    const sweeper = startFeedbackSweeper({ closer, channel: 'sms', timeoutMs: 5000, intervalMs: 200, log, batchSize: 3 });
    await sleep(50);
    expect(closer.calls).toEqual([
      { channel: 'sms', timeoutMs: 5000, limit: 3 },
      { channel: 'sms', timeoutMs: 5000, limit: 3 },
      { channel: 'sms', timeoutMs: 5000, limit: 3 },
    ]);
    await sleep(250);
    expect(closer.calls).toHaveLength(4);
    await sweeper.stop();
  });

  it('keeps sweeping after a failed sweep', async () => {
    const closer = scripted([new Error('database unavailable'), 1]);
    const sweeper = startFeedbackSweeper({ closer, channel: 'email', timeoutMs: 1000, intervalMs: 50, log });
    await sleep(200);
    expect(closer.calls.length).toBeGreaterThanOrEqual(3);
    await sweeper.stop();
  });

  it('starts no sweep after stop, and stop waits for the running one', async () => {
    let release!: () => void;
    let finished = false;
    let calls = 0;
    const closer = {
      expire: async () => {
        calls += 1;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
        return 0;
      },
    };
    const sweeper = startFeedbackSweeper({ closer, channel: 'voice', timeoutMs: 1000, intervalMs: 10, log });
    const stopped = sweeper.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    await sleep(50);
    expect(calls).toBe(1);
  });
});
