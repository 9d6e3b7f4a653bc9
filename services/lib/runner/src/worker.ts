/**
 * The shared runner. It owns everything between Kafka and a handler: consume with eachBatch, decode
 * Avro, call the handler, encode and produce outputs in one batch per chunk, and resolve offsets only
 * after Kafka acknowledged those outputs (at-least-once; handlers are idempotent by deterministic ids).
 * Bad records go to the dead-letter policy with a reason; transient failures are retried with backoff
 * without losing the partition's place; a record that is not due yet (Deferral) is waited for quietly; stop() finishes or releases the chunk in hand and leaves the group.
 */
import type {
  AvroCodec,
  BatchControl,
  ConsumedBatch,
  ConsumedRecord,
  ConsumerPort,
  KafkaPort,
  OutgoingRecord,
  ProducerPort,
} from '@notify/kafka';
import { errorCode, errorMessage, InvalidInputError, PermanentError } from '@notify/errors';
import type { TopicName, ValueOf } from '@notify/schemas';
import { trace, type Tracer } from '@opentelemetry/api';
import { afterFailure, type AfterFailureDeps } from './after-failure';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff';
import { toDeadLetterTopic, type DeadLetterPolicy, type Handler, type InputRecord, type Output, type RecordFailure } from './handler';
import type { Logger } from './logger';
import { mapLimit } from './map-limit';
import type { WorkerMetrics } from './metrics';
import { inChunkSpan, inConsumerSpan, outputTraceHeaders } from './tracing/record-span';

export interface WorkerSpec<I extends TopicName> {
  /** Pipeline stage name, written into dead letters and statuses. */
  stage: string;
  groupId: string;
  inputs: readonly I[];
  /** Every topic the handler or the dead-letter policy may write; their schemas are registered at start. */
  outputs: readonly TopicName[];
  handler: Handler<I>;
  deadLetter?: DeadLetterPolicy;
  /** Assign partition N of every input topic to the same instance (joins of recipient-keyed topics). */
  copartitioned?: boolean;
}

export interface WorkerSettings {
  concurrency: number;
  partitionsConcurrently: number;
  chunkSize: number;
  retry: BackoffPolicy;
}

export interface WorkerDeps {
  kafka: KafkaPort;
  codec: AvroCodec;
  log: Logger;
  metrics: WorkerMetrics;
  /** Defaults to the process's registered tracer provider (a no-op one when tracing was not started). */
  tracer?: Tracer;
}

/** Longest sleep on a record that is not due yet, so the group keeps hearing from this member. */
const DEFERRAL_STEP_MS = 5_000;

/** Marks a record whose handling was abandoned because the worker is stopping or lost the partition. */
const ABANDONED = Symbol('abandoned');

export class Worker<I extends TopicName> {
  private readonly consumer: ConsumerPort;
  private readonly producer: ProducerPort;
  private readonly deadLetter: DeadLetterPolicy;
  private readonly tracer: Tracer;
  private running = false;
  private joined = false;

  constructor(
    private readonly spec: WorkerSpec<I>,
    private readonly settings: WorkerSettings,
    private readonly deps: WorkerDeps,
  ) {
    this.consumer = deps.kafka.consumer({
      groupId: spec.groupId,
      partitionsConcurrently: settings.partitionsConcurrently,
      copartitioned: spec.copartitioned ?? false,
    });
    this.producer = deps.kafka.producer();
    this.deadLetter = spec.deadLetter ?? toDeadLetterTopic;
    this.tracer = deps.tracer ?? trace.getTracer('@notify/runner');
  }

  /** Ready once consuming with partitions assigned by the group. */
  isReady(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    await this.deps.codec.registerTopics([...this.spec.outputs, 'notifications.dlq']);
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe([...this.spec.inputs]);
    this.consumer.onAssignment((assignment) => {
      this.joined = true;
      this.deps.log.info({ assignment }, 'partitions assigned');
    });
    await this.consumer.run((batch, control) => this.onBatch(batch, control));
    this.running = true;
    this.deps.log.info({ group: this.spec.groupId, inputs: this.spec.inputs }, 'worker started');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.deps.log.info('worker stopping');
    await this.consumer.disconnect();
    await this.producer.disconnect();
    this.deps.log.info('worker stopped');
  }

  private async onBatch(batch: ConsumedBatch, control: BatchControl): Promise<void> {
    const { chunkSize } = this.settings;
    for (let start = 0; start < batch.records.length; start += chunkSize) {
      if (!control.shouldContinue()) return;
      const chunk = batch.records.slice(start, start + chunkSize);
      const timer = this.deps.metrics.batchSeconds.startTimer({ topic: batch.topic });
      const completed = await this.processChunk(chunk, control);
      timer();
      if (!completed) return;
      const last = chunk[chunk.length - 1] as ConsumedRecord;
      this.deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
      );
    }
  }

  private async processChunk(chunk: ConsumedRecord[], control: BatchControl): Promise<boolean> {
    const handleChunk = this.spec.handler.handleChunk?.bind(this.spec.handler);
    const results = handleChunk
      ? await this.processWholeChunk(chunk, control, handleChunk)
      : await mapLimit(chunk, this.settings.concurrency, (record) => this.processRecord(record, control));
    const outgoing: OutgoingRecord[] = [];
    for (const r of results) {
      if (r === ABANDONED) return false;
      outgoing.push(...r);
    }
    await this.sendWithRetry(outgoing, control);
    for (const o of outgoing) this.deps.metrics.produced.inc({ topic: o.topic });
    this.deps.metrics.consumed.inc({ topic: (chunk[0] as ConsumedRecord).topic }, chunk.length);
    control.resolve((chunk[chunk.length - 1] as ConsumedRecord).offset);
    await control.commit();
    await control.heartbeat();
    return true;
  }

  private async sendWithRetry(outgoing: OutgoingRecord[], control: BatchControl): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send(outgoing);
        return;
      } catch (error) {
        // kafkajs already retried internally; keep trying while we own the partition, since
        // resolving the offsets without these outputs would lose them.
        this.deps.log.error({ err: error, attempt }, 'produce failed');
        if (!control.shouldContinue()) throw error;
        await sleep(backoffDelay(this.settings.retry, attempt));
      }
    }
  }

  /**
   * For handlers with handleChunk: decode the chunk, hand it over in one call and retry it while the
   * error is retryable. Anything else falls back to one record at a time, which isolates the bad record.
   */
  private async processWholeChunk(
    chunk: ConsumedRecord[],
    control: BatchControl,
    handleChunk: NonNullable<Handler<I>['handleChunk']>,
  ): Promise<Array<OutgoingRecord[] | typeof ABANDONED>> {
    const perRecord = () => mapLimit(chunk, this.settings.concurrency, (record) => this.processRecord(record, control));
    const records: InputRecord<ValueOf<I>>[] = [];
    for (const r of chunk) {
      try {
        records.push({
          topic: r.topic,
          partition: r.partition,
          offset: r.offset,
          key: r.key,
          value: (await this.deps.codec.decode(r.topic as I, r.value)) as ValueOf<I>,
          headers: r.headers,
          timestamp: r.timestamp,
        });
      } catch {
        return perRecord();
      }
    }
    for (let attempt = 1; ;) {
      try {
        const outputs = await inChunkSpan(this.tracer, this.spec.stage, records, () =>
          handleChunk(records, { log: this.deps.log, metrics: this.deps.metrics }),
        );
        return [this.encode(outputs, chunk[chunk.length - 1] as ConsumedRecord)];
      } catch (error) {
        const step = afterFailure(error, attempt, { topic: records[0]?.topic, records: records.length }, this.failureDeps());
        if (step.next === 'give_up') return perRecord();
        if (step.next === 'retry') attempt++;
        if (!(await this.pause(step.ms, control))) return [ABANDONED];
      }
    }
  }

  /** Each record is handled inside its own consumer span, continuing the trace its headers carry. */
  private processRecord(record: ConsumedRecord, control: BatchControl): Promise<OutgoingRecord[] | typeof ABANDONED> {
    return inConsumerSpan(this.tracer, this.spec.stage, record, () => this.handleRecord(record, control));
  }

  private async handleRecord(record: ConsumedRecord, control: BatchControl): Promise<OutgoingRecord[] | typeof ABANDONED> {
    let decoded: unknown;
    for (let attempt = 1; ;) {
      try {
        const input = {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          key: record.key,
          headers: record.headers,
          timestamp: record.timestamp,
        };
        const ctx = { log: this.deps.log, metrics: this.deps.metrics };
        const onTombstone = record.value === null ? this.spec.handler.handleTombstone?.bind(this.spec.handler) : undefined;
        let outputs: Output[];
        if (onTombstone) {
          outputs = await onTombstone({ ...input, value: null }, ctx);
        } else {
          const value = await this.deps.codec.decode(record.topic as I, record.value);
          decoded = value;
          outputs = await this.spec.handler.handle({ ...input, value: value as ValueOf<I> }, ctx);
        }
        this.deps.log.debug(
          { topic: record.topic, partition: record.partition, offset: record.offset, outputs: outputs.length },
          'record handled',
        );
        return this.encode(outputs, record);
      } catch (error) {
        const step = afterFailure(error, attempt, { topic: record.topic, offset: record.offset }, this.failureDeps());
        if (step.next === 'give_up') {
          const code = errorCode(error);
          this.deps.metrics.failures.inc({ code, outcome: 'dead_lettered' });
          this.deps.log.warn(
            { topic: record.topic, partition: record.partition, offset: record.offset, code, reason: errorMessage(error) },
            'record rejected',
          );
          return this.encode(this.deadLetter(this.failure(record, decoded, error, attempt)), record);
        }
        // A deferral is not an attempt: the record has not failed, it is only early.
        if (step.next === 'retry') attempt++;
        if (!(await this.pause(step.ms, control))) return ABANDONED;
      }
    }
  }

  /** Sleeps, then heart-beats; false when the worker is stopping or lost the partition meanwhile. */
  private async pause(ms: number, control: BatchControl): Promise<boolean> {
    if (!control.shouldContinue()) return false;
    await sleep(ms);
    if (!control.shouldContinue()) return false;
    await control.heartbeat();
    return true;
  }

  private failureDeps(): AfterFailureDeps {
    return { log: this.deps.log, metrics: this.deps.metrics, retry: this.settings.retry, deferralStepMs: DEFERRAL_STEP_MS, now: Date.now };
  }

  private failure(record: ConsumedRecord, decoded: unknown, error: unknown, attempts: number): RecordFailure {
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
      attempts,
    };
  }

  private encode(outputs: Output[], input: ConsumedRecord): OutgoingRecord[] {
    const traceHeaders = outputTraceHeaders(input.headers);
    return outputs.map((o) => {
      let value: Buffer | null;
      try {
        value = o.value === null ? null : this.deps.codec.encode(o.topic, o.value as ValueOf<typeof o.topic>);
      } catch (cause) {
        // A handler that builds an invalid record has a bug; surface it as a permanent failure of this input.
        throw new PermanentError('invalid_output', `${this.spec.stage} produced an invalid ${o.topic} record: ${errorMessage(cause)}`, {
          cause,
        });
      }
      const headers = { ...traceHeaders, ...o.headers };
      return { topic: o.topic, key: o.key, value, headers };
    });
  }
}

export { InvalidInputError };
