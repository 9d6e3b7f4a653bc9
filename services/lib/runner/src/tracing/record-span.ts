/**
 * One consumer span per Kafka record: a child of the producer's context from the record's
 * `traceparent` header, active while the handler runs, so the handler's logs carry its trace id and
 * the outputs carry its context to the next hop.
 */
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { Headers } from '@notify/kafka';
import type { Logger } from '../logger';
import { extractTraceContext, traceHeaders } from './propagation';

export interface TracedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Headers;
}

function consumerSpanOptions(stage: string, record: TracedRecord): SpanOptions {
  return {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': record.topic,
      'messaging.destination.partition.id': String(record.partition),
      'messaging.kafka.offset': Number(record.offset),
      'notify.stage': stage,
      ...(record.key === null ? {} : { 'messaging.kafka.message.key': record.key }),
    },
  };
}

/** Runs `work` with `span` active under `parent`, records a thrown error on it, and ends it. */
async function runInSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

export async function inConsumerSpan<T>(tracer: Tracer, stage: string, record: TracedRecord, work: () => Promise<T>): Promise<T> {
  const parent = extractTraceContext(record.headers);
  return runInSpan(tracer.startSpan(`${record.topic} process`, consumerSpanOptions(stage, record), parent), parent, work);
}

/**
 * One consumer span for a chunk handled in one call (handleChunk): a chunk has many parents, so the
 * span starts a trace of its own and links to each record's producer context, the OpenTelemetry way
 * of saying "this work was for those records".
 */
export async function inChunkSpan<T>(tracer: Tracer, stage: string, records: readonly TracedRecord[], work: () => Promise<T>): Promise<T> {
  const first = records[0];
  const links = records
    .map((r) => trace.getSpanContext(extractTraceContext(r.headers)))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .map((c) => ({ context: c }));
  const span = tracer.startSpan(`${first?.topic ?? 'chunk'} process`, {
    kind: SpanKind.CONSUMER,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.batch.message_count': records.length,
      'notify.stage': stage,
      ...(first ? { 'messaging.destination.name': first.topic, 'messaging.destination.partition.id': String(first.partition) } : {}),
    },
  });
  return runInSpan(span, context.active(), work);
}

/**
 * Trace headers for an output of `input`: the active span's context when one is active (the consumer
 * span), else the input's own `traceparent` passed through unchanged.
 */
export function outputTraceHeaders(input: Headers): Headers {
  const current = traceHeaders(context.active());
  if (current.traceparent) return current;
  return input.traceparent ? { traceparent: input.traceparent } : {};
}

/**
 * The synchronous form for processors that handle a record without awaiting (the stateful runner):
 * runs `handle` in a consumer span and stamps every output it returns with that span's context.
 */
export function tracedOutputs<O extends { headers?: Headers }>(stage: string, record: TracedRecord, handle: () => O[], log?: Logger): O[] {
  const parent = extractTraceContext(record.headers);
  const span = trace.getTracer('@notify/runner').startSpan(`${record.topic} process`, consumerSpanOptions(stage, record), parent);
  const active = trace.setSpan(parent, span);
  try {
    const outputs = context.with(active, handle);
    context.with(active, () =>
      log?.debug({ topic: record.topic, partition: record.partition, offset: record.offset, outputs: outputs.length }, 'record handled'),
    );
    const headers = traceHeaders(active);
    return outputs.map((o) => ({ ...o, headers: { ...headers, ...o.headers } }));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
