/**
 * What every service process does around its consumer workers, whatever kind they are (plain,
 * stateful, a channel's dispatch and retry lanes): serve /health, /health/ready and /metrics, start
 * the workers, keep each group's lag current, and on stop take it all down in the one safe order:
 * workers first (they commit what they finished), then lag monitors, the caller's own resources, the
 * ops server, and tracing last so the final spans are exported.
 */
import type { KafkaPort } from '@notify/kafka';
import { startLagMonitor } from './lag-monitor';
import { startOpsServer } from './ops-server';
import type { RunningService, ServiceParts } from './service-parts';
import type { Tracing } from './tracing/start-tracing';

export interface SupervisedLane {
  worker: { isReady(): boolean; start(): Promise<void>; stop(): Promise<void> };
  groupId: string;
  topics: readonly string[];
}

export interface SupervisedResources {
  onStop?: () => Promise<void>;
  /** Shut down after everything else; null when the caller owns it. */
  tracing?: Tracing | null;
}

export async function superviseLanes(parts: ServiceParts, kafka: KafkaPort, lanes: readonly SupervisedLane[], resources: SupervisedResources = {}): Promise<RunningService> {
  const ops = await startOpsServer(parts.config.OPS_PORT, parts.metrics.registry, () => lanes.every((l) => l.worker.isReady()));
  await Promise.all(lanes.map((l) => l.worker.start()));
  const lagMonitors = await Promise.all(lanes.map((l) => startLagMonitor({
    admin: kafka.admin(), groupId: l.groupId, topics: l.topics, gauge: parts.metrics.lag, intervalMs: parts.config.LAG_REFRESH_MS, log: parts.log,
  })));
  parts.log.info({ opsPort: ops.port }, `${parts.service} ready`);
  let stopping: Promise<void> | undefined;
  return {
    opsPort: ops.port,
    stop: () => {
      stopping ??= (async () => {
        await Promise.all(lanes.map((l) => l.worker.stop()));
        await Promise.all(lagMonitors.map((m) => m.stop()));
        await resources.onStop?.();
        await ops.close();
        await resources.tracing?.shutdown();
      })();
      return stopping;
    },
  };
}
