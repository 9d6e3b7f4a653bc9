/** What a stateful, exactly-once worker is made of, and what its per-partition processor sees. */
import type { TopicName, ValueOf } from '@notify/schemas';
import type { DeadLetterPolicy, InputRecord, Output } from '../handler';
import type { Logger } from '../logger';
import type { WorkerMetrics } from '../metrics';
import type { JournaledStore } from './journaled-store';

/** Latest value per key of the table topics of one partition number. */
export interface TableView {
  get<T extends TopicName>(topic: T, key: string): ValueOf<T> | undefined;
}

export interface PartitionContext<S> {
  partition: number;
  tables: TableView;
  /** Per-key state of this partition, mirrored to the changelog on every commit. */
  state: JournaledStore<S>;
  log: Logger;
  metrics: WorkerMetrics;
}

/**
 * One instance per owned partition number, created after its state and tables were restored.
 * Everything it returns, and every state change it made, commits in one transaction with the
 * consumed offsets, or not at all (the state is rolled back and the work is done again).
 */
export interface PartitionProcessor<I extends TopicName> {
  handle(record: InputRecord<ValueOf<I>>, now: number): Output[];
  /** Whether tick() would do anything now; called on every timer interval, so keep it cheap. */
  hasDueTimers(now: number): boolean;
  /** Outputs of the timers due at `now` (windows closing, deferrals released, escalations). */
  tick(now: number): Output[];
  /** These keys' state changed outside handle/tick (restore, rollback): refresh any index over them. */
  reindex(keys: Iterable<string>): void;
  /**
   * A live change to one of the spec's tables (not its restore), already applied, in the same
   * transaction as the processor's other work: e.g. a tombstone that should clear the key's state.
   */
  onTableRecord?(topic: TopicName, key: string, value: unknown, now: number): Output[];
}

export interface Changelog<C extends TopicName, S> {
  topic: C;
  /** The changelog value for the key's current state; null (a tombstone) when it has none. */
  encode(key: string, state: S | undefined, now: number): ValueOf<C> | null;
  decode(value: ValueOf<C>): S | undefined;
  /** Deep copy, so a rollback can restore a value the processor changed in place. */
  clone(state: S): S;
}

export interface StatefulSpec<I extends TopicName, C extends TopicName, S> {
  stage: string;
  groupId: string;
  /** Topics whose records go to the processor's handle(). */
  inputs: readonly I[];
  /** Compacted topics kept as latest-value tables, restored from their beginning on assignment. */
  tables: readonly TopicName[];
  /** Every topic the processor may write. */
  outputs: readonly TopicName[];
  changelog: Changelog<C, S>;
  createProcessor(ctx: PartitionContext<S>): PartitionProcessor<I>;
  deadLetter?: DeadLetterPolicy;
}

export interface StatefulSettings {
  partitionsConcurrently: number;
  chunkSize: number;
  tickIntervalMs: number;
  retry: { initialMs: number; maxMs: number };
  now?: () => number;
}
