/**
 * The runner's stateful, exactly-once mode. One consumer group reads the inputs and the table topics
 * co-partitioned (partition p of every topic on one instance). Per owned partition number it keeps
 * state in memory, mirrored to a compacted changelog, and one transactional producer; every batch
 * and every timer tick commits its outputs, its changelog records and the consumed offsets in one
 * Kafka transaction. A failed transaction is aborted, the partition is rebuilt from Kafka (see
 * restore.ts) and the records not yet committed are processed again, so a crash or an error neither
 * loses nor duplicates an output.
 *
 * On every group assignment all owned partitions are released and restored again: a member that was
 * thrown out of the group and came back cannot know what another owner committed meanwhile.
 */
import type { AvroCodec, BatchControl, ConsumedBatch, ConsumedRecord, ConsumerPort, KafkaPort, OutgoingRecord } from '@notify/kafka';
import { errorCode, errorMessage, isRetryable } from '@notify/errors';
import type { TopicName, ValueOf } from '@notify/schemas';
import { backoffDelay, sleep } from '../backoff';
import { toDeadLetterTopic, type DeadLetterPolicy, type InputRecord, type Output } from '../handler';
import type { Logger } from '../logger';
import type { WorkerMetrics } from '../metrics';
import { tracedOutputs } from '../tracing/record-span';
import { PartitionQueue } from './partition-queue';
import type { PartitionRuntime } from './partition-runtime';
import { restorePartitions } from './restore';
import { isFenced } from './transient-kafka-error';
import type { StatefulSettings, StatefulSpec } from './types';

const HEARTBEAT_WHILE_WAITING_MS = 3_000;

export interface StatefulDeps {
  kafka: KafkaPort;
  codec: AvroCodec;
  log: Logger;
  metrics: WorkerMetrics;
}

type Decoded = { record: ConsumedRecord; value: unknown } | { record: ConsumedRecord; error: unknown };

export class StatefulWorker<I extends TopicName, C extends TopicName, S> {
  private readonly consumer: ConsumerPort;
  private readonly deadLetter: DeadLetterPolicy;
  private readonly queues = new Map<number, PartitionQueue>();
  private readonly runtimes = new Map<number, PartitionRuntime<I, S>>();
  private readonly inputs: ReadonlySet<string>;
  private readonly now: () => number;
  private assigned = new Set<number>();
  private generation = 0;
  private restoring: Promise<void> = Promise.resolve();
  private ticker: NodeJS.Timeout | undefined;
  private running = false;
  private joined = false;

  constructor(
    private readonly spec: StatefulSpec<I, C, S>,
    private readonly settings: StatefulSettings,
    private readonly deps: StatefulDeps,
  ) {
    this.consumer = deps.kafka.consumer({
      groupId: spec.groupId,
      partitionsConcurrently: settings.partitionsConcurrently,
      copartitioned: true,
      autoCommit: false,
      readCommitted: true,
    });
    this.deadLetter = spec.deadLetter ?? toDeadLetterTopic;
    this.inputs = new Set(spec.inputs);
    this.now = settings.now ?? Date.now;
  }

  /** Ready once the group assigned partitions and they are restored. */
  isReady(): boolean {
    return this.running && this.joined && [...this.assigned].every((p) => this.runtimes.get(p)?.generation === this.generation);
  }

  /** Partition numbers owned and restored; for tests and metrics. */
  ownedPartitions(): number[] {
    return [...this.runtimes.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await this.deps.codec.registerTopics([...this.spec.outputs, this.spec.changelog.topic, 'notifications.dlq']);
    await this.consumer.connect();
    await this.consumer.subscribe([...this.spec.inputs, ...this.spec.tables]);
    this.consumer.onAssignment((assignment) => this.onAssignment(assignment));
    // Set before run(): kafkajs reports the first assignment before run() resolves.
    this.running = true;
    await this.consumer.run((batch, control) => this.onBatch(batch, control));
    this.ticker = setInterval(() => this.tick(), this.settings.tickIntervalMs);
    this.deps.log.info({ group: this.spec.groupId, inputs: this.spec.inputs, tables: this.spec.tables }, 'stateful worker started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.ticker);
    this.deps.log.info('stateful worker stopping');
    await this.consumer.disconnect();
    this.generation++;
    await Promise.all([...this.queues.entries()].map(([p, queue]) => queue.run(() => this.release(p))));
    this.deps.log.info('stateful worker stopped');
  }

  private queueOf(partition: number): PartitionQueue {
    let queue = this.queues.get(partition);
    if (!queue) this.queues.set(partition, (queue = new PartitionQueue()));
    return queue;
  }

  private onAssignment(assignment: Record<string, number[]>): void {
    this.joined = true;
    const numbers = [...new Set(Object.values(assignment).flat())].sort((a, b) => a - b);
    const generation = ++this.generation;
    this.deps.log.info({ partitions: numbers, generation }, 'partitions assigned');
    const previous = [...this.runtimes.keys()];
    this.assigned = new Set(numbers);
    const releases = previous.map((p) => this.queueOf(p).run(() => this.release(p)));
    // Restores run one after another: a new assignment waits for the previous restore to settle.
    const restore = this.restoring.then(() => Promise.all(releases)).then(() => this.restore(numbers, generation));
    this.restoring = restore.catch(() => undefined);
    for (const p of numbers)
      void this.queueOf(p)
        .run(() => restore)
        .catch(() => undefined);
  }

  private async restore(numbers: number[], generation: number): Promise<void> {
    for (let attempt = 1; numbers.length > 0 && this.running && generation === this.generation; attempt++) {
      try {
        const restored = await restorePartitions(this.spec, this.deps, numbers, generation);
        if (generation !== this.generation) {
          await Promise.all([...restored.values()].map((r) => r.producer.disconnect().catch(() => undefined)));
          return;
        }
        for (const [p, runtime] of restored) this.runtimes.set(p, runtime);
        return;
      } catch (error) {
        this.deps.log.error({ err: error, partitions: numbers, attempt }, 'restore failed, retrying');
        await sleep(backoffDelay(this.settings.retry, attempt));
      }
    }
  }

  private async release(partition: number): Promise<void> {
    const runtime = this.runtimes.get(partition);
    if (!runtime) return;
    this.runtimes.delete(partition);
    await runtime.producer
      .disconnect()
      .catch((error: unknown) => this.deps.log.warn({ err: error, partition }, 'producer disconnect failed'));
  }

  private current(partition: number): PartitionRuntime<I, S> | undefined {
    const runtime = this.runtimes.get(partition);
    return runtime && runtime.generation === this.generation && this.assigned.has(partition) ? runtime : undefined;
  }

  private async onBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    if (!this.assigned.has(batch.partition)) return;
    // A restore of a large partition can outlast the session timeout while this batch waits in the
    // partition queue; without heartbeats the group would evict the member and the restore would start over.
    const beat = setInterval(() => void control.heartbeat().catch(() => undefined), HEARTBEAT_WHILE_WAITING_MS);
    try {
      await this.queueOf(batch.partition).run(() => this.processBatch(batch, control));
    } finally {
      clearInterval(beat);
    }
  }

  private async processBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!this.runtimes.has(batch.partition)) await this.rebuild(batch.partition);
      const runtime = this.current(batch.partition);
      if (!runtime || !control.shouldContinue()) return;
      const fresh = batch.records.filter((r) => BigInt(r.offset) >= runtime.nextOffset(batch.topic));
      if (fresh.length === 0) {
        const last = batch.records[batch.records.length - 1];
        if (last) control.resolve(last.offset);
        return;
      }
      const chunk = fresh.slice(0, this.settings.chunkSize);
      const decoded = await this.decodeAll(chunk);
      const last = chunk[chunk.length - 1] as ConsumedRecord;
      const timer = this.deps.metrics.batchSeconds.startTimer({ topic: batch.topic });
      const committed = await this.transact(
        runtime,
        () => this.apply(runtime, batch.topic, decoded),
        { topic: batch.topic, next: BigInt(last.offset) + 1n },
        attempt,
      );
      timer();
      if (!committed) {
        if (!this.running) return;
        await sleep(backoffDelay(this.settings.retry, attempt));
        continue;
      }
      attempt = 0;
      this.deps.metrics.consumed.inc({ topic: batch.topic }, chunk.length);
      control.resolve(last.offset);
      this.deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
      );
      await control.heartbeat().catch(() => undefined);
    }
  }

  private async decodeAll(records: ConsumedRecord[]): Promise<Decoded[]> {
    const decoded: Decoded[] = [];
    for (const record of records) {
      try {
        decoded.push({
          record,
          value: record.value === null ? null : await this.deps.codec.decode(record.topic as TopicName, record.value),
        });
      } catch (error) {
        decoded.push({ record, error });
      }
    }
    return decoded;
  }

  /** Applies decoded records of one topic to the runtime; returns the outputs. */
  private apply(runtime: PartitionRuntime<I, S>, topic: string, decoded: Decoded[]): Output[] {
    const outputs: Output[] = [];
    const processor = runtime.processor;
    if (!processor) throw new Error(`partition ${runtime.partition} has no processor`);
    const now = this.now();
    for (const d of decoded) {
      const { record } = d;
      if (!this.inputs.has(topic)) {
        if ('error' in d) {
          this.deps.log.warn(
            { topic, partition: record.partition, offset: record.offset, reason: errorMessage(d.error) },
            'table record skipped: cannot decode',
          );
        } else if (record.key !== null) {
          runtime.tables.apply(topic, record.key, d.value);
          if (processor.onTableRecord) outputs.push(...processor.onTableRecord(topic as TopicName, record.key, d.value, now));
        }
        continue;
      }
      if ('error' in d || d.value === null) {
        outputs.push(
          ...this.deadLetter(this.failure(record, undefined, 'error' in d ? d.error : new Error('tombstone on an input topic'))),
        );
        continue;
      }
      const input: InputRecord<ValueOf<I>> = {
        topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key,
        value: d.value as ValueOf<I>,
        headers: record.headers,
        timestamp: record.timestamp,
      };
      // A handler that throws has a bug or met data it cannot handle: its partial changes go back
      // and the record is dead-lettered, as the plain runner does.
      try {
        outputs.push(...tracedOutputs(this.spec.stage, record, () => processor.handle(input, now), this.deps.log));
      } catch (error) {
        if (isRetryable(error)) throw error;
        this.deps.metrics.failures.inc({ code: errorCode(error), outcome: 'dead_lettered' });
        this.deps.log.warn({ topic, partition: record.partition, offset: record.offset, reason: errorMessage(error) }, 'record rejected');
        outputs.push(...this.deadLetter(this.failure(record, d.value, error)));
      }
    }
    return outputs;
  }

  private failure(record: ConsumedRecord, decoded: unknown, error: unknown) {
    return {
      stage: this.spec.stage,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key: record.key,
      raw: record.value,
      decoded,
      code: errorCode(error),
      reason: errorMessage(error),
      attempts: 1,
    };
  }

  private tick(): void {
    const now = this.now();
    for (const [partition, runtime] of this.runtimes) {
      if (runtime.tickQueued || !runtime.processor || !this.current(partition)) continue;
      if (!runtime.processor.hasDueTimers(now)) continue;
      runtime.tickQueued = true;
      void this.queueOf(partition).run(async () => {
        runtime.tickQueued = false;
        const live = this.current(partition);
        if (!live?.processor) return;
        const processor = live.processor;
        await this.transact(live, () => processor.tick(this.now()), null, 1);
      });
    }
  }

  /**
   * One unit of work in one transaction. Returns false when it did not commit: the state was rolled
   * back and the partition rebuilt from Kafka (or released, when another instance fenced this one).
   */
  private async transact(
    runtime: PartitionRuntime<I, S>,
    work: () => Output[],
    consumed: { topic: string; next: bigint } | null,
    attempt: number,
  ): Promise<boolean> {
    const processor = runtime.processor;
    if (!processor) return false;
    runtime.state.begin();
    let stage = 'work';
    try {
      const outputs = work();
      const at = this.now();
      const outgoing = this.encode(outputs);
      for (const key of runtime.state.dirtyKeys()) {
        const value = this.spec.changelog.encode(key, runtime.state.peek(key), at);
        outgoing.push({
          topic: this.spec.changelog.topic,
          key,
          value: value === null ? null : this.deps.codec.encode(this.spec.changelog.topic, value),
        });
      }
      stage = 'kafka';
      const txn = await runtime.producer.transaction();
      try {
        await txn.send(outgoing);
        if (consumed) {
          const offsets = runtime.offsets().filter((o) => o.topic !== consumed.topic);
          offsets.push({ topic: consumed.topic, partition: runtime.partition, offset: consumed.next.toString() });
          await txn.sendOffsets(this.spec.groupId, offsets);
        }
        await txn.commit();
      } catch (error) {
        await txn.abort().catch(() => undefined);
        throw error;
      }
      const changed = runtime.state.dirtyKeys();
      runtime.state.commit();
      if (consumed) runtime.advance(consumed.topic, consumed.next);
      processor.reindex(changed);
      for (const o of outputs) this.deps.metrics.produced.inc({ topic: o.topic });
      return true;
    } catch (error) {
      const keys = runtime.state.rollback();
      processor.reindex(keys);
      if (stage === 'kafka') await this.recover(runtime, error, attempt);
      else this.deps.log.error({ err: error, partition: runtime.partition, attempt }, 'processing failed; state rolled back, retrying');
      return false;
    }
  }

  /**
   * After a failed transaction nothing in memory can be trusted to match Kafka (a commit may have
   * failed on the way back), so the partition is rebuilt from what committed; a fenced producer
   * means another instance owns the partition now, and this one lets go until the next assignment.
   */
  private async recover(runtime: PartitionRuntime<I, S>, error: unknown, attempt: number): Promise<void> {
    const partition = runtime.partition;
    const fenced = isFenced(error);
    this.deps.metrics.failures.inc({ code: fenced ? 'fenced' : errorCode(error), outcome: 'retried' });
    this.deps.log.error(
      { err: error, partition, attempt, fenced },
      fenced ? 'producer fenced: partition released' : 'transaction failed: rebuilding partition',
    );
    await this.release(partition);
    if (fenced) {
      this.assigned.delete(partition);
      return;
    }
    await this.rebuild(partition);
  }

  /** Restores one assigned partition that has no runtime (after a failed transaction or restore). */
  private async rebuild(partition: number): Promise<void> {
    if (!this.running || !this.assigned.has(partition) || this.runtimes.has(partition)) return;
    const generation = this.generation;
    try {
      const restored = await restorePartitions(this.spec, this.deps, [partition], generation);
      for (const [p, r] of restored) {
        if (generation === this.generation && this.assigned.has(p)) this.runtimes.set(p, r);
        else await r.producer.disconnect().catch(() => undefined);
      }
    } catch (restoreError) {
      this.deps.log.error({ err: restoreError, partition }, 'rebuild failed; retrying with the next batch');
    }
  }

  private encode(outputs: Output[]): OutgoingRecord[] {
    return outputs.map((o) => ({
      topic: o.topic,
      key: o.key,
      value: o.value === null ? null : this.deps.codec.encode(o.topic, o.value as ValueOf<typeof o.topic>),
      headers: o.headers,
    }));
  }
}
