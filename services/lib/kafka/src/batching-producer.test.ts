import { BatchingProducer } from './batching-producer';
import type { OutgoingRecord, ProducerPort, Transaction } from './port';

/** A hand-written ProducerPort that records each send and lets the test decide when and how it settles. */
class FakeProducer implements ProducerPort {
  readonly sends: Array<{ records: OutgoingRecord[]; resolve: () => void; reject: (error: unknown) => void }> = [];

  connect(): Promise<void> {
    return Promise.resolve();
  }

  send(records: OutgoingRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => this.sends.push({ records, resolve, reject }));
  }

  transaction(): Promise<Transaction> {
    return Promise.reject(new Error('not used'));
  }

  disconnect(): Promise<void> {
    return Promise.resolve();
  }

  sent(i: number) {
    const s = this.sends[i];
    if (!s) throw new Error(`no send #${i}; ${this.sends.length} so far`);
    return s;
  }
}

const rec = (key: string): OutgoingRecord => ({ topic: 'notifications.events', key, value: Buffer.from(key) });
const keys = (records: OutgoingRecord[]) => records.map((r) => r.key);

/** Settlement state of a promise, observable without awaiting it. */
function track(promise: Promise<void>) {
  const state: { settled: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { settled: 'pending' };
  promise.then(
    () => {
      state.settled = 'resolved';
    },
    (error: unknown) => {
      state.settled = 'rejected';
      state.error = error;
    },
  );
  return state;
}

/** setImmediate is left real (see beforeEach), so this lets every pending promise callback run. */
const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BatchingProducer', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('sends nothing before the linger time, then everything queued as one request', async () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 20, maxBatch: 100 });
    const a = track(producer.send([rec('a')]));
    const b = track(producer.send([rec('b'), rec('c')]));
    jest.advanceTimersByTime(19);
    expect(fake.sends).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(fake.sends).toHaveLength(1);
    expect(keys(fake.sent(0).records)).toEqual(['a', 'b', 'c']);
    await flushMicrotasks();
    expect([a.settled, b.settled]).toEqual(['pending', 'pending']);
    fake.sent(0).resolve();
    await flushMicrotasks();
    expect([a.settled, b.settled]).toEqual(['resolved', 'resolved']);
  });

  it('flushes at once when the queued record count reaches maxBatch, without waiting for the linger', () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 10_000, maxBatch: 3 });
    void producer.send([rec('a'), rec('b')]);
    expect(fake.sends).toHaveLength(0);
    void producer.send([rec('c')]);
    expect(fake.sends).toHaveLength(1);
    expect(keys(fake.sent(0).records)).toEqual(['a', 'b', 'c']);
    // The size flush cancelled the linger timer: nothing else goes out later.
    jest.advanceTimersByTime(20_000);
    expect(fake.sends).toHaveLength(1);
  });

  it('counts records, not calls, against maxBatch', () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 10_000, maxBatch: 4 });
    void producer.send([rec('a'), rec('b'), rec('c'), rec('d'), rec('e')]);
    expect(fake.sends).toHaveLength(1);
    expect(fake.sent(0).records).toHaveLength(5);
  });

  it('starts a fresh linger window for records queued after a flush', () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 50, maxBatch: 2 });
    void producer.send([rec('a'), rec('b')]);
    expect(fake.sends).toHaveLength(1);
    void producer.send([rec('c')]);
    jest.advanceTimersByTime(49);
    expect(fake.sends).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(fake.sends).toHaveLength(2);
    expect(keys(fake.sent(1).records)).toEqual(['c']);
  });

  it('rejects every caller of a failed batch with the same error, and only them', async () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 10, maxBatch: 100 });
    const first = [track(producer.send([rec('a')])), track(producer.send([rec('b')]))];
    jest.advanceTimersByTime(10);
    const second = track(producer.send([rec('c')]));
    jest.advanceTimersByTime(10);
    expect(fake.sends).toHaveLength(2);

    const failure = new Error('NOT_ENOUGH_REPLICAS');
    fake.sent(0).reject(failure);
    fake.sent(1).resolve();
    await flushMicrotasks();
    expect(first.map((s) => s.settled)).toEqual(['rejected', 'rejected']);
    expect(first.every((s) => s.error === failure)).toBe(true);
    expect(second.settled).toBe('resolved');
  });

  it('resolves a caller only when its own batch is acknowledged, not an earlier or later one', async () => {
    const fake = new FakeProducer();
    const producer = new BatchingProducer(fake, { lingerMs: 5, maxBatch: 1 });
    const a = track(producer.send([rec('a')]));
    const b = track(producer.send([rec('b')]));
    expect(fake.sends).toHaveLength(2);
    fake.sent(1).resolve();
    await flushMicrotasks();
    expect(a.settled).toBe('pending');
    expect(b.settled).toBe('resolved');
    fake.sent(0).resolve();
    await flushMicrotasks();
    expect(a.settled).toBe('resolved');
  });

  it('flush() with nothing queued sends nothing', () => {
    const fake = new FakeProducer();
    new BatchingProducer(fake, { lingerMs: 5, maxBatch: 10 }).flush();
    expect(fake.sends).toHaveLength(0);
  });

  describe('drain', () => {
    it('sends what is queued at once and waits for every batch in flight', async () => {
      const fake = new FakeProducer();
      const producer = new BatchingProducer(fake, { lingerMs: 60_000, maxBatch: 2 });
      void producer.send([rec('a'), rec('b')]);
      void producer.send([rec('c')]);
      expect(fake.sends).toHaveLength(1);

      const drained = track(producer.drain());
      expect(fake.sends).toHaveLength(2);
      expect(keys(fake.sent(1).records)).toEqual(['c']);
      fake.sent(1).resolve();
      await flushMicrotasks();
      expect(drained.settled).toBe('pending');
      fake.sent(0).resolve();
      await flushMicrotasks();
      expect(drained.settled).toBe('resolved');
    });

    it('does not reject when a batch failed; the failure belongs to its callers', async () => {
      const fake = new FakeProducer();
      const producer = new BatchingProducer(fake, { lingerMs: 60_000, maxBatch: 100 });
      const caller = producer.send([rec('a')]);
      const callerState = track(caller);
      const drained = track(producer.drain());
      fake.sent(0).reject(new Error('broker down'));
      await flushMicrotasks();
      expect(callerState.settled).toBe('rejected');
      expect(drained.settled).toBe('resolved');
    });

    it('resolves at once when nothing was ever sent', async () => {
      const fake = new FakeProducer();
      await expect(new BatchingProducer(fake, { lingerMs: 5, maxBatch: 5 }).drain()).resolves.toBeUndefined();
      expect(fake.sends).toHaveLength(0);
    });
  });
});
