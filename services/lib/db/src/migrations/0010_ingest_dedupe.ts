import { sql, type Kysely } from 'kysely';

/**
 * Ingest's memory of what it has already taken in, kept where a restart or a rebalance cannot lose it:
 * which event first claimed each dedupe key (a window of minutes), and the answers given to requests
 * carrying an Idempotency-Key (a day). Both are purged by age, hence the indexes on the time columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ingest_dedupe')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_dedupe_pkey', ['tenant', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('ingest_dedupe_claimed_at').on('ingest_dedupe').column('claimed_at').execute();

  await db.schema
    .createTable('ingest_idempotency')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    // Null while the first request is in flight; then its HTTP status and JSON answer.
    .addColumn('status', 'integer')
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ingest_idempotency_pkey', ['tenant', 'key'])
    .execute();
  await db.schema.createIndex('ingest_idempotency_created_at').on('ingest_idempotency').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ingest_idempotency').execute();
  await db.schema.dropTable('ingest_dedupe').execute();
}
