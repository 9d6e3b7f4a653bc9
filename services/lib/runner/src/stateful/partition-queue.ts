/**
 * The queue of one partition number's work, run strictly one job at a time in submission order: its
 * restore, the batches of each of its co-partitioned topics and its timer ticks all change the same
 * state and use the same transactional producer, which allows one transaction at a time.
 */
export class PartitionQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  run<T>(job: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(job);
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.queued--;
      });
    return result;
  }

  /** Jobs submitted and not yet finished. */
  get pending(): number {
    return this.queued;
  }
}
