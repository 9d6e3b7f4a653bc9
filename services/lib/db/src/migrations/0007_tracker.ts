/**
 * The tracker's tables: every delivery status as it happened, and one summary row per notification
 * for analytics and the console. A redelivered status record upserts (unique notification, status, stage).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('delivery_status_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('channel', 'text')
    .addColumn('type', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('terminal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('delivery_status_events_once', ['notification_id', 'status', 'stage'])
    .execute();
  await db.schema.createIndex('delivery_status_events_at').on('delivery_status_events').column('at').execute();

  await db.schema
    .createTable('delivery_summary')
    .addColumn('notification_id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('channel', 'text')
    .addColumn('type', 'text')
    .addColumn('latest_status', 'text', (c) => c.notNull())
    .addColumn('latest_at', 'timestamptz', (c) => c.notNull())
    .addColumn('terminal_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('terminal_at', 'timestamptz')
    // Same measure as delivery_latency_seconds: from the event's occurrence to its terminal status.
    .addColumn('latency_ms', 'bigint', (c) =>
      c.generatedAlwaysAs(sql`(extract(epoch from (terminal_at - occurred_at)) * 1000)::bigint`).stored(),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('delivery_summary_terminal').on('delivery_summary').columns(['terminal_at', 'channel']).execute();
  await db.schema.createIndex('delivery_summary_tenant').on('delivery_summary').columns(['tenant', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('delivery_summary').execute();
  await db.schema.dropTable('delivery_status_events').execute();
}
