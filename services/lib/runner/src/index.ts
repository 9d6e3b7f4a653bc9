export * from './handler';
export { Worker, type WorkerSpec, type WorkerSettings, type WorkerDeps } from './worker';
export { createLogger, type Logger } from './logger';
export { createMetrics, type WorkerMetrics } from './metrics';
export { startOpsServer, type OpsServer } from './ops-server';
export { baseWorkerConfig, parseConfig, ConfigError, personalDataConfig, sealingKeysSetting, z, type BaseWorkerConfig } from './config';
export { backoffDelay, sleep, type BackoffPolicy } from './backoff';
export { mapLimit } from './map-limit';
export { startWorkerService, exitOnSignals, runMain, kafkaFor, groupId } from './service';
export type { RunningService, ServiceParts } from './service-parts';
export {
  startTracing,
  inServerSpan,
  inConsumerSpan,
  activeTraceHeaders,
  processTracer,
  type Tracing,
  type TracingSettings,
} from './tracing';
export { startLagMonitor, type LagMonitor } from './lag-monitor';
export * from './stateful';
export { superviseLanes, type SupervisedLane, type SupervisedResources } from './supervise';
