import { LingerBatcher } from './linger-batcher';

/** A send that records each batch and settles when the test says so. */
function recordingSend() {
  const batches: number[][] = [];
  const settle: Array<(error?: Error) => void> = [];
  const send = (records: number[]) => {
    batches.push(records);
    return new Promise<void>((resolve, reject) => settle.push((error) => (error ? reject(error) : resolve())));
  };
  return { batches, settle, send };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('LingerBatcher', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('sends the calls made within the linger together, and resolves each when that send is acknowledged', async () => {
    const { batches, settle, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 5, maxRecords: 100 });
    let resolved = 0;
    const calls = [batcher.add([1]), batcher.add([2, 3]), batcher.add([4])].map((p) => p.then(() => resolved++));
    jest.advanceTimersByTime(4);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2, 3, 4]]);
    await tick();
    expect(resolved).toBe(0);
    settle[0]?.();
    await Promise.all(calls);
    expect(resolved).toBe(3);
  });

  it('sends at once when the batch is full, without waiting for the linger', () => {
    const { batches, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 1_000, maxRecords: 3 });
    void batcher.add([1, 2]);
    expect(batches).toEqual([]);
    void batcher.add([3]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps one send in flight and sends what queued behind it next, in call order', async () => {
    const { batches, settle, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 5, maxRecords: 2 });
    void batcher.add([1, 2]);
    void batcher.add([3]);
    void batcher.add([4]);
    void batcher.add([5]);
    jest.advanceTimersByTime(50);
    expect(batches).toEqual([[1, 2]]);
    settle[0]?.();
    await tick();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    settle[1]?.();
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('never splits one call, and sends a call larger than a batch on its own', () => {
    const { batches, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 5, maxRecords: 2 });
    void batcher.add([1, 2, 3, 4]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('rejects every call of a failed send, and the next calls still go out', async () => {
    const { batches, settle, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 5, maxRecords: 10 });
    const first = [batcher.add([1]), batcher.add([2])];
    jest.advanceTimersByTime(5);
    settle[0]?.(new Error('broker down'));
    await expect(first[0]).rejects.toThrow('broker down');
    await expect(first[1]).rejects.toThrow('broker down');
    const later = batcher.add([3]);
    jest.advanceTimersByTime(5);
    settle[1]?.();
    await expect(later).resolves.toBeUndefined();
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('close sends what is queued, waits for it, and refuses later calls', async () => {
    const { batches, settle, send } = recordingSend();
    const batcher = new LingerBatcher(send, { lingerMs: 60_000, maxRecords: 10 });
    const queued = batcher.add([1]);
    const closing = batcher.close();
    expect(batches).toEqual([[1]]);
    settle[0]?.();
    await closing;
    await expect(queued).resolves.toBeUndefined();
    await expect(batcher.add([2])).rejects.toThrow('closed');
  });
});
