/** W3C trace context in and out of Kafka headers and HTTP headers, with no global propagator needed. */
import { ROOT_CONTEXT, trace, type Context, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

type HeaderBag = Record<string, string | string[] | undefined>;

const propagator = new W3CTraceContextPropagator();

const getter: TextMapGetter<HeaderBag> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The remote parent carried by these headers, or the root context when they carry none. */
export function extractTraceContext(headers: HeaderBag): Context {
  return propagator.extract(ROOT_CONTEXT, headers, getter);
}

/** `traceparent` (and `tracestate`) for the span active in `ctx`; empty when there is none. */
export function traceHeaders(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (trace.getSpan(ctx))
    propagator.inject(ctx, carrier, {
      set: (c, k, v) => {
        c[k] = v;
      },
    });
  return carrier;
}
