/** Metrics of the WebSocket gateway, on the process registry. */
import { Gauge, Histogram, type Registry } from 'prom-client';

export interface RealtimeMetrics {
  sessions: Gauge;
  pushLatency: Histogram;
}

export function createRealtimeMetrics(registry: Registry): RealtimeMetrics {
  return {
    sessions: new Gauge({ name: 'ws_sessions', help: 'Open WebSocket sessions on this replica', registers: [registry] }),
    pushLatency: new Histogram({
      name: 'ws_push_latency_seconds',
      help: "From the inbox row being stored to the item reaching this replica's sockets",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
