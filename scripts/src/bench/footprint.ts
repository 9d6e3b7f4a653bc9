/**
 * What one event costs the shared infrastructure: records written to each topic of the run's own
 * namespace, and Postgres transactions committed. Counted, not estimated, because the services
 * change often and a description of them goes stale.
 */
import { execFileSync } from 'node:child_process';
import type { AdminPort } from '@notify/kafka';

/** A group that never exists: asking its lag is the port's way to read every partition's end offset. */
const NO_GROUP = 'bench.end-offsets';

/** Records in every topic of the admin's namespace (the namespace is fresh, so all are this run's). */
export async function recordsPerTopic(admin: AdminPort): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const topic of await admin.listTopics()) {
    const partitions = await admin.groupLag(NO_GROUP, [topic]);
    const records = partitions.reduce((sum, p) => sum + Number(p.end), 0);
    if (records > 0) counts[topic] = records;
  }
  return counts;
}

/** Transactions committed so far in the database of this URL (pg_stat_database), or null without psql. */
export function postgresCommits(databaseUrl: string): number | null {
  try {
    const out = execFileSync('psql', [databaseUrl, '-Atc', 'select xact_commit from pg_stat_database where datname = current_database()'], {
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const n = Number(out.trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}
