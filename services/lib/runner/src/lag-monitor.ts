/**
 * Keeps kafka_consumer_lag current from the group's committed offsets. The runner also sets it after
 * each chunk, but an idle or stuck consumer fetches nothing, and that is exactly when lag matters.
 */
import type { AdminPort } from '@notify/kafka';
import type { Gauge } from 'prom-client';
import type { Logger } from './logger';

export interface LagMonitor {
  /** Reads lag once now (also called on every tick). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLagMonitor(options: {
  admin: AdminPort;
  groupId: string;
  topics: readonly string[];
  gauge: Gauge<'topic' | 'partition'>;
  intervalMs: number;
  log: Logger;
}): Promise<LagMonitor> {
  const { admin, groupId, topics, gauge, log } = options;
  await admin.connect();
  let inFlight: Promise<void> | null = null;
  const refresh = (): Promise<void> => {
    inFlight ??= (async () => {
      try {
        for (const p of await admin.groupLag(groupId, [...topics])) gauge.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
      } catch (error) {
        log.warn({ err: error, groupId }, 'cannot read consumer lag');
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  };
  await refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  return {
    refresh,
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      await admin.disconnect();
    },
  };
}
