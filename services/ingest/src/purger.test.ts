import { createLogger } from '@notify/runner';
import { Purger, type PurgeTask } from './purger';

const log = createLogger('purger-test', 'silent');

/** A task over `rows` expired rows that deletes at most `limit` per call, recording each call. */
function table(name: string, rows: number): PurgeTask & { calls: Array<{ now: number; limit: number }>; left(): number } {
  let left = rows;
  const calls: Array<{ now: number; limit: number }> = [];
  return {
    name,
    calls,
    left: () => left,
    purge: async (now, limit) => {
      calls.push({ now, limit });
      const n = Math.min(left, limit);
      left -= n;
      return n;
    },
  };
}

describe('Purger', () => {
  it('repeats bounded deletes until a batch comes back short', async () => {
    const dedupe = table('dedupe', 25);
    const purger = new Purger([dedupe], { intervalMs: 1000, batch: 10, maxRounds: 100 }, log, () => 42);
    expect(await purger.runOnce()).toEqual({ dedupe: 25 });
    expect(dedupe.calls).toEqual([
      { now: 42, limit: 10 },
      { now: 42, limit: 10 },
      { now: 42, limit: 10 },
    ]);
  });

  it('stops after maxRounds and leaves the rest to the next pass', async () => {
    const dedupe = table('dedupe', 100);
    const purger = new Purger([dedupe], { intervalMs: 1000, batch: 10, maxRounds: 3 }, log);
    expect(await purger.runOnce()).toEqual({ dedupe: 30 });
    expect(dedupe.left()).toBe(70);
  });

  it('runs every task, also after one fails', async () => {
    const failing: PurgeTask = {
      name: 'broken',
      purge: async () => {
        throw new Error('connection refused');
      },
    };
    const keys = table('keys', 3);
    const purger = new Purger([failing, keys], { intervalMs: 1000, batch: 10, maxRounds: 5 }, log);
    expect(await purger.runOnce()).toEqual({ broken: 0, keys: 3 });
  });

  it('purges on its timer until stopped', async () => {
    const dedupe = table('dedupe', 5);
    const purger = new Purger([dedupe], { intervalMs: 10, batch: 2, maxRounds: 1 }, log);
    purger.start();
    await new Promise((r) => setTimeout(r, 100));
    await purger.stop();
    expect(dedupe.left()).toBe(0);
    const calls = dedupe.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(dedupe.calls.length).toBe(calls);
  });
});
