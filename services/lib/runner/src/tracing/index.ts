export { startTracing, tracesUrl, type Tracing, type TracingSettings } from './start-tracing';
export { inConsumerSpan, outputTraceHeaders, tracedOutputs } from './record-span';
export { inServerSpan, activeTraceHeaders, processTracer } from './server-span';
export { extractTraceContext, traceHeaders } from './propagation';
