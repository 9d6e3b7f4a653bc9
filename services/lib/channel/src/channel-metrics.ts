/**
 * What a channel worker counts about notifications, as opposed to records: handed to a provider,
 * delivered (and how long after the event), failed for good, and left unconfirmed by a provider that
 * reports later. They live here, not in the runner, because only channel workers have these outcomes;
 * they register on the process's registry so /metrics serves them beside the runner's.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface ChannelMetrics {
  emitted: Counter<'channel'>;
  delivered: Counter<'channel'>;
  failed: Counter<'channel' | 'reason'>;
  deliveryLatency: Histogram<'channel'>;
  /** Accepted by a provider that reports later, and closed by the feedback timeout without a report. */
  unconfirmed: Counter<'channel'>;
}

export function createChannelMetrics(registry: Registry): ChannelMetrics {
  const registers = [registry];
  return {
    emitted: new Counter({
      name: 'notifications_emitted_total',
      help: 'Notifications handed to a channel',
      labelNames: ['channel'],
      registers,
    }),
    delivered: new Counter({ name: 'notifications_delivered_total', help: 'Notifications delivered', labelNames: ['channel'], registers }),
    failed: new Counter({
      name: 'notifications_failed_total',
      help: 'Notifications that failed for good',
      labelNames: ['channel', 'reason'],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'delivery_latency_seconds',
      help: 'From event occurrence to delivery',
      labelNames: ['channel'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    unconfirmed: new Counter({
      name: 'notifications_unconfirmed_total',
      help: 'Notifications a provider accepted and never reported on within the feedback timeout',
      labelNames: ['channel'],
      registers,
    }),
  };
}

/** A delivery, with its latency from the event's occurrence. */
export function countDelivered(
  metrics: Pick<ChannelMetrics, 'delivered' | 'deliveryLatency'>,
  channel: string,
  occurredAt: number,
  at: number,
): void {
  metrics.delivered.inc({ channel });
  metrics.deliveryLatency.observe({ channel }, Math.max(0, at - occurredAt) / 1000);
}
