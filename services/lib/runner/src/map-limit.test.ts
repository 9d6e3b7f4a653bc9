import { mapLimit } from './map-limit';

/** Runs mapLimit with a worker that records how many calls are in flight at once. */
async function measure(count: number, limit: number, delayOf: (i: number) => number) {
  let inFlight = 0;
  let peak = 0;
  const started: number[] = [];
  const results = await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    limit,
    async (item, index) => {
      expect(index).toBe(item);
      started.push(item);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayOf(item)));
      inFlight--;
      return item * 10;
    },
  );
  return { results, peak, started, finalInFlight: inFlight };
}

describe('mapLimit', () => {
  it('keeps the input order in the results even when later items finish first', async () => {
    const { results } = await measure(8, 4, (i) => (8 - i) * 3);
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });

  it('never has more than `limit` calls in flight, and does use the full limit', async () => {
    const { peak, finalInFlight } = await measure(20, 3, (i) => 5 + (i % 4) * 3);
    expect(peak).toBe(3);
    expect(finalInFlight).toBe(0);
  });

  it('runs one at a time, in order, with limit 1', async () => {
    const { results, peak, started } = await measure(5, 1, (i) => (5 - i) * 2);
    expect(peak).toBe(1);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results).toEqual([0, 10, 20, 30, 40]);
  });

  it('treats a limit below 1 as sequential', async () => {
    const { peak, results } = await measure(4, 0, () => 2);
    expect(peak).toBe(1);
    expect(results).toEqual([0, 10, 20, 30]);
  });

  it('starts no more runners than there are items', async () => {
    const { peak, results } = await measure(2, 10, () => 5);
    expect(peak).toBe(2);
    expect(results).toEqual([0, 10]);
  });

  it('calls fn exactly once per item', async () => {
    const calls = new Map<number, number>();
    await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      calls.set(item, (calls.get(item) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return item;
    });
    expect([...calls.entries()].sort(([a], [b]) => a - b)).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
      [6, 1],
      [7, 1],
    ]);
  });

  it('returns an empty array for no items without calling fn', async () => {
    const fn = jest.fn(async (n: number) => n);
    await expect(mapLimit([], 4, fn)).resolves.toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects with the error of a failing call', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('boom at 2');
        return item;
      }),
    ).rejects.toThrow('boom at 2');
  });
});
