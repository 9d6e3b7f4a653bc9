import { firstByKey, TickBatcher } from './tick-batcher';

describe('TickBatcher', () => {
  it('runs the calls made in one turn as one batch and answers each caller in order', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, string>(async (inputs) => {
      batches.push([...inputs]);
      return inputs.map((n) => `#${n}`);
    });
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.call(n)));
    expect(answers).toEqual(['#1', '#2', '#3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs calls from later turns as later batches', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(async (inputs) => {
      batches.push([...inputs]);
      return inputs;
    });
    await batcher.call(1);
    await Promise.all([batcher.call(2), batcher.call(3)]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const batcher = new TickBatcher<number, number>(async (inputs) => {
      sizes.push(inputs.length);
      return inputs;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.call(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('fails every caller of a batch that fails, and the next batch runs afresh', async () => {
    let fail = true;
    const batcher = new TickBatcher<number, number>(async (inputs) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    const first = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.call(3)).resolves.toBe(3);
  });

  it('refuses a batch that does not answer every input', async () => {
    const batcher = new TickBatcher<number, number>(async (inputs) => inputs.slice(1));
    await expect(Promise.all([batcher.call(1), batcher.call(2)])).rejects.toThrow('batch of 2 answered 1 results');
  });
});

describe('firstByKey', () => {
  it('keeps the first item of each key, in order', () => {
    const items = [
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
      { k: 'a', n: 3 },
    ];
    expect([...firstByKey(items, (i) => i.k).values()]).toEqual([
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
    ]);
  });
});
