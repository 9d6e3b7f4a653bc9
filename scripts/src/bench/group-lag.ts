/**
 * How far consumer groups are behind the end of their inputs, and waiting until they are not: the
 * bench starts measuring only once nothing earlier (leftovers of an interrupted relay run, the
 * pipeline's warm-up probes) is still in flight.
 */
import type { AdminPort } from '@notify/kafka';

export interface GroupInputs {
  groupId: string;
  topics: string[];
}

export async function totalLag(admin: AdminPort, groups: readonly GroupInputs[]): Promise<Record<string, number>> {
  const lags: Record<string, number> = {};
  for (const g of groups) {
    const partitions = await admin.groupLag(g.groupId, g.topics);
    lags[g.groupId] = partitions.reduce((sum, p) => sum + p.lag, 0);
  }
  return lags;
}

export async function waitUntilDrained(admin: AdminPort, groups: readonly GroupInputs[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lags: Record<string, number> = {};
  while (Date.now() < deadline) {
    lags = await totalLag(admin, groups);
    if (Object.values(lags).every((lag) => lag === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`consumer groups still behind after ${timeoutMs} ms: ${JSON.stringify(lags)}`);
}
