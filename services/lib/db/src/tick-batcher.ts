/**
 * Gathers the single-row calls that concurrent handlers make during one turn of the event loop into
 * one batch, so that N handlers each writing one row cost one statement and one commit (one WAL
 * flush) instead of N. A lone call is not delayed: it runs on the next turn as a batch of one.
 */
export type BatchRun<In, Out> = (inputs: readonly In[]) => Promise<readonly Out[]>;

interface Pending<In, Out> {
  input: In;
  resolve(output: Out): void;
  reject(error: unknown): void;
}

export class TickBatcher<In, Out> {
  private pending: Array<Pending<In, Out>> = [];
  private scheduled = false;

  /** `run` must answer one output per input, in the same order. */
  constructor(
    private readonly run: BatchRun<In, Out>,
    private readonly maxBatch = 500,
  ) {
    if (maxBatch < 1) throw new Error('maxBatch must be at least 1');
  }

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.run(batch.map((p) => p.input)).then(
      (outputs) => {
        if (outputs.length !== batch.length) {
          const error = new Error(`batch of ${batch.length} answered ${outputs.length} results`);
          for (const p of batch) p.reject(error);
          return;
        }
        batch.forEach((p, i) => p.resolve(outputs[i] as Out));
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  }
}

/**
 * The first item of each key, in order: a batch may hold the same key twice (a redelivery beside its
 * original), and one statement may insert a row only once.
 */
export function firstByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const first = new Map<string, T>();
  for (const item of items) if (!first.has(key(item))) first.set(key(item), item);
  return first;
}
