/**
 * One tracer provider per process, registered as the OpenTelemetry global so the active span follows
 * async work (AsyncLocalStorage) and the logger can stamp trace ids on each line. Context travels in
 * W3C `traceparent` headers. Spans are always created (trace ids in logs, propagation downstream);
 * they leave the process only when an OTLP endpoint is configured.
 */
import { trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingSettings {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_BSP_SCHEDULE_DELAY: number;
}

export interface Tracing {
  tracer: Tracer;
  /** Where spans are sent, or null when they are not exported. */
  exportUrl: string | null;
  /** Exports what is buffered and stops; call on shutdown so the last spans are not lost. */
  shutdown(): Promise<void>;
}

export function tracesUrl(settings: TracingSettings): string | null {
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (settings.OTEL_EXPORTER_OTLP_ENDPOINT) return `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

export function startTracing(service: string, settings: TracingSettings): Tracing {
  const exportUrl = tracesUrl(settings);
  const spanProcessors: SpanProcessor[] = exportUrl
    ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: exportUrl }), { scheduledDelayMillis: settings.OTEL_BSP_SCHEDULE_DELAY })]
    : [];
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    tracer: provider.getTracer(service),
    exportUrl,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
