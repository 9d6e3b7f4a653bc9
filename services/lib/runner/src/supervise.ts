/**
 * What every service process does around its consumer lanes, whatever kind they are (plain,
 * stateful, a channel's dispatch and retry lanes, the router's three groups, the API's fan-out):
 * serve /health, /health/ready and /metrics, start the lanes, keep each group's lag current, and on
 * stop take it all down in the one safe order: the front door first (an HTTP server stops taking
 * requests that would need the rest), then the lag monitors (so no lag read races a lane leaving or
 * deleting its group), the lanes (they commit what they finished), the caller's own resources, the
 * ops server, and tracing last so the final spans are exported.
 *
 * A start that fails part-way stops what it started, in the same order, and rethrows.
 */
import type { KafkaPort } from '@notify/kafka';
import { startLagMonitor, type LagMonitor } from './lag-monitor';
import { startOpsServer, type OpsServer } from './ops-server';
import type { RunningService, ServiceParts } from './service-parts';
import type { Tracing } from './tracing/start-tracing';

/** One consumer worker of the process, with the group and topics whose lag it is judged by. */
export interface SupervisedLane {
  worker: { isReady(): boolean; start(): Promise<void>; stop(): Promise<void> };
  groupId: string;
  topics: readonly string[];
}

export interface SupervisedResources {
  /** Stopped before anything else: the process's HTTP server, so no request arrives while the rest goes away. */
  stopFirst?: () => Promise<void>;
  /** Stopped after the lanes: what the lanes use (database, producers the handlers send through). */
  onStop?: () => Promise<void>;
  /** Shut down after everything else; null when the caller owns it. */
  tracing?: Tracing | null;
}

export async function superviseLanes(
  parts: ServiceParts,
  kafka: KafkaPort,
  lanes: readonly SupervisedLane[],
  resources: SupervisedResources = {},
): Promise<RunningService> {
  let ops: OpsServer | undefined;
  const lagMonitors: LagMonitor[] = [];
  const stop = async (): Promise<void> => {
    await settle(parts, 'front door', [resources.stopFirst?.()]);
    await settle(
      parts,
      'lag monitor',
      lagMonitors.map((m) => m.stop()),
    );
    await settle(
      parts,
      'lane',
      lanes.map((l) => l.worker.stop()),
    );
    await settle(parts, 'resources', [resources.onStop?.()]);
    await ops?.close();
    await resources.tracing?.shutdown();
  };
  try {
    ops = await startOpsServer(parts.config.OPS_PORT, parts.metrics.registry, () => lanes.every((l) => l.worker.isReady()));
    await Promise.all(lanes.map((l) => l.worker.start()));
    for (const l of lanes) {
      lagMonitors.push(
        await startLagMonitor({
          admin: kafka.admin(),
          groupId: l.groupId,
          topics: l.topics,
          gauge: parts.metrics.lag,
          intervalMs: parts.config.LAG_REFRESH_MS,
          log: parts.log,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const opsPort = ops.port;
  parts.log.info({ opsPort }, `${parts.service} ready`);
  let stopping: Promise<void> | undefined;
  return { opsPort, stop: () => (stopping ??= stop()) };
}

/**
 * Waits for every stop of one step; one that fails is logged and the shutdown goes on, since leaving
 * the database or the ops server open would not undo it.
 */
async function settle(parts: ServiceParts, what: string, stops: ReadonlyArray<Promise<void> | undefined>): Promise<void> {
  for (const result of await Promise.allSettled(stops)) {
    if (result.status === 'rejected') parts.log.error({ err: result.reason }, `${what} did not stop cleanly`);
  }
}
