/** Everything one owned partition number holds: producer, tables, state, offsets and processor. */
import type { ProducerPort, TopicPartitionOffset } from '@notify/kafka';
import type { TopicName, ValueOf } from '@notify/schemas';
import { JournaledStore } from './journaled-store';
import type { PartitionProcessor, TableView } from './types';

export class Tables implements TableView {
  private readonly byTopic = new Map<string, Map<string, unknown>>();

  get<T extends TopicName>(topic: T, key: string): ValueOf<T> | undefined {
    return this.byTopic.get(topic)?.get(key) as ValueOf<T> | undefined;
  }

  apply(topic: string, key: string, value: unknown): void {
    let table = this.byTopic.get(topic);
    if (!table) this.byTopic.set(topic, (table = new Map()));
    if (value === null || value === undefined) table.delete(key);
    else table.set(key, value);
  }

  size(topic: string): number {
    return this.byTopic.get(topic)?.size ?? 0;
  }
}

export class PartitionRuntime<I extends TopicName, S> {
  /** Next offset to process per topic of this partition number; records below it are already reflected in the state. */
  private readonly next = new Map<string, bigint>();
  processor: PartitionProcessor<I> | null = null;
  tickQueued = false;

  constructor(
    readonly partition: number,
    readonly generation: number,
    readonly producer: ProducerPort,
    readonly tables: Tables,
    readonly state: JournaledStore<S>,
  ) {}

  nextOffset(topic: string): bigint {
    return this.next.get(topic) ?? -1n;
  }

  advance(topic: string, next: bigint): void {
    if (next > this.nextOffset(topic)) this.next.set(topic, next);
  }

  /** Offsets to commit for this partition number: every topic it has a position in. */
  offsets(): TopicPartitionOffset[] {
    return [...this.next]
      .filter(([, next]) => next >= 0n)
      .map(([topic, next]) => ({ topic, partition: this.partition, offset: next.toString() }));
  }
}
