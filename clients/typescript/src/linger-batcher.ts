/**
 * Gathers the records of many publish calls into few sends: a call waits at most `lingerMs` for
 * company, a batch goes at once when it reaches `maxRecords`, and while one send is in flight the
 * next batch fills up behind it. One send at a time keeps each key's records in call order. Each
 * call's promise settles with the send that carried its records.
 */

export interface LingerOptions {
  lingerMs: number;
  maxRecords: number;
}

interface Pending<T> {
  records: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class LingerBatcher<T> {
  private queue: Array<Pending<T>> = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly send: (records: T[]) => Promise<void>,
    private readonly options: LingerOptions,
  ) {
    if (!(options.lingerMs >= 0) || !(options.maxRecords >= 1)) throw new RangeError('lingerMs must be >= 0 and maxRecords >= 1');
  }

  add(records: T[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the publisher is closed'));
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queued += records.length;
      if (this.queued >= this.options.maxRecords) this.startSend();
      else this.timer ??= setTimeout(() => this.startSend(), this.options.lingerMs);
    });
  }

  /** Sends everything queued and waits for it; later adds are refused. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.sending) {
      this.startSend();
      await this.sending;
    }
  }

  private startSend(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending || this.queue.length === 0) return;
    const batch = this.takeBatch();
    const records = batch.flatMap((p) => p.records);
    this.sending = this.send(records)
      .then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => {
        this.sending = undefined;
        // What queued up during the send has waited long enough.
        if (this.queue.length > 0) this.startSend();
      });
  }

  /** Whole calls up to maxRecords records (a larger call goes alone), oldest first. */
  private takeBatch(): Array<Pending<T>> {
    const batch: Array<Pending<T>> = [];
    let count = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending<T>;
      if (batch.length > 0 && count + next.records.length > this.options.maxRecords) break;
      batch.push(next);
      count += next.records.length;
      this.queue.shift();
    }
    this.queued -= count;
    return batch;
  }
}
