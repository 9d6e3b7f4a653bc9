/**
 * A server span around one HTTP request: it continues a caller's `traceparent` if the request has one,
 * else starts the trace. Records produced inside `work` carry its context through `activeTraceHeaders()`.
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { extractTraceContext, traceHeaders } from './propagation';

export async function inServerSpan<T>(
  tracer: Tracer,
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined> },
  route: string,
  work: () => Promise<T>,
): Promise<T> {
  const parent = extractTraceContext(request.headers);
  const span = tracer.startSpan(
    `${request.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] ?? request.url },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** `traceparent` of the active span, for records produced outside the runner (e.g. the HTTP gateway). */
export function activeTraceHeaders(): Record<string, string> {
  return traceHeaders(context.active());
}

/** The tracer of the process's registered provider (a no-op tracer until startTracing ran). */
export function processTracer(name: string): Tracer {
  return trace.getTracer(name);
}
