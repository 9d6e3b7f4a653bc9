/**
 * Prometheus metrics of one process, about records. Each process owns one registry; nothing is global.
 * What a kind of worker counts besides (channel outcomes) registers on the same registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  consumed: Counter<'topic'>;
  produced: Counter<'topic'>;
  failures: Counter<'code' | 'outcome'>;
  batchSeconds: Histogram<'topic'>;
  lag: Gauge<'topic' | 'partition'>;
}

export function createMetrics(service: string): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({ name: 'records_consumed_total', help: 'Input records handled', labelNames: ['topic'], registers: [registry] }),
    produced: new Counter({
      name: 'records_produced_total',
      help: 'Output records acknowledged by Kafka',
      labelNames: ['topic'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'record_failures_total',
      help: 'Records that failed, by error class and what happened next',
      labelNames: ['code', 'outcome'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'batch_duration_seconds',
      help: 'Time to handle, produce and commit one chunk',
      labelNames: ['topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Records behind the end of each input partition at the last fetch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
  };
}
