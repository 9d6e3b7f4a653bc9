/**
 * Delivery analytics over the tracker's delivery_summary table: terminal outcomes by channel, status
 * and reason, and latency percentiles per channel in fixed time buckets. Time ranges are half-open
 * [since, until) on the terminal time.
 */
import { sql, type Db } from '@notify/db';

export interface AnalyticsRange {
  since: Date;
  until: Date;
  tenant: string | null;
}

export interface OutcomeRow {
  channel: string;
  status: string;
  reason: string | null;
  count: number;
}

export interface LatencyRow {
  bucket: string;
  channel: string;
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export async function outcomesBy(db: Db, range: AnalyticsRange): Promise<OutcomeRow[]> {
  const rows = await db
    .selectFrom('delivery_summary')
    .select(['channel', 'terminal_status', 'reason', sql<string>`count(*)`.as('count')])
    .where('terminal_at', '>=', range.since)
    .where('terminal_at', '<', range.until)
    .where('channel', 'is not', null)
    .where('terminal_status', 'is not', null)
    .$if(range.tenant !== null, (q) => q.where('tenant', '=', range.tenant as string))
    .groupBy(['channel', 'terminal_status', 'reason'])
    .orderBy('channel')
    .orderBy('terminal_status')
    .execute();
  return rows.map((r) => ({ channel: r.channel as string, status: r.terminal_status as string, reason: r.reason, count: Number(r.count) }));
}

/** `channel` of the one series that pools every channel's deliveries. */
export const ALL_CHANNELS = 'all';

/**
 * Percentiles of delivered notifications only: a failure's latency says nothing about delivery speed.
 * One series per channel, or with `channel: 'all'` one series over every channel's deliveries pooled
 * (percentiles cannot be combined from per-channel percentiles, so the database computes them).
 */
export async function latencyBuckets(
  db: Db,
  range: AnalyticsRange & { bucketSeconds: number; channel: string | null },
): Promise<LatencyRow[]> {
  const bucket = sql<Date>`date_bin(make_interval(secs => ${range.bucketSeconds}), terminal_at, timestamptz '2000-01-01')`;
  const pooled = range.channel === ALL_CHANNELS;
  const rows = await db
    .selectFrom('delivery_summary')
    .select([
      bucket.as('bucket'),
      (pooled ? sql<string>`${ALL_CHANNELS}::text` : sql<string>`channel`).as('channel'),
      sql<string>`count(*)`.as('count'),
      sql<number>`percentile_cont(0.5) within group (order by latency_ms)`.as('p50'),
      sql<number>`percentile_cont(0.95) within group (order by latency_ms)`.as('p95'),
      sql<number>`percentile_cont(0.99) within group (order by latency_ms)`.as('p99'),
    ])
    .where('terminal_status', '=', 'delivered')
    .where('terminal_at', '>=', range.since)
    .where('terminal_at', '<', range.until)
    .where('channel', 'is not', null)
    .$if(range.tenant !== null, (q) => q.where('tenant', '=', range.tenant as string))
    .$if(range.channel !== null && !pooled, (q) => q.where('channel', '=', range.channel as string))
    .groupBy(pooled ? [sql`1`] : [sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy('channel')
    .execute();
  return rows.map((r) => ({
    bucket: new Date(r.bucket).toISOString(),
    channel: r.channel as string,
    count: Number(r.count),
    p50_ms: Math.round(Number(r.p50)),
    p95_ms: Math.round(Number(r.p95)),
    p99_ms: Math.round(Number(r.p99)),
  }));
}
