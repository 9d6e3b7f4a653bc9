/**
 * While the pipeline drains, samples how many events are finished and how far behind each stage's
 * consumer group is. Where the backlog piles up is the stage that limits throughput.
 */
import type { AdminPort } from '@notify/kafka';
import { totalLag, type GroupInputs } from './group-lag';

export interface TimelinePoint {
  /** Seconds since the first produce. */
  s: number;
  finished: number;
  /** Records not yet committed, per stage. */
  lag: Record<string, number>;
}

export interface TimelineSampler {
  stop(): Promise<TimelinePoint[]>;
}

/** "notifications.channel-webhook.retry.bench" -> "channel-webhook.retry" (the suffix is the same for all). */
function stageName(groupId: string, suffix: string): string {
  const name = groupId.replace(/^notifications\./, '');
  return suffix && name.endsWith(`.${suffix}`) ? name.slice(0, -suffix.length - 1) : name;
}

export function sampleTimeline(
  admin: AdminPort,
  groups: readonly GroupInputs[],
  groupSuffix: string,
  since: number,
  finished: () => number,
  total: number,
  intervalMs = 2_000,
): TimelineSampler {
  const points: TimelinePoint[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      if (!running) break;
      try {
        const lags = await totalLag(admin, groups);
        const point: TimelinePoint = { s: Math.round((Date.now() - since) / 100) / 10, finished: finished(), lag: {} };
        for (const [groupId, lag] of Object.entries(lags)) point.lag[stageName(groupId, groupSuffix)] = lag;
        points.push(point);
        console.log(
          `[bench] t=${point.s.toFixed(0).padStart(3)}s finished ${point.finished}/${total}  lag ${Object.entries(point.lag)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
      } catch (error) {
        // A sample lost to a broker hiccup is not worth failing the run for.
        console.error(`[bench] lag sample failed: ${String(error)}`);
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return points;
    },
  };
}
