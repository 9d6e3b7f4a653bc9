/**
 * Tables of the API service: producer API keys (only their SHA-256 digests), the dead letters it
 * collects from notifications.dlq for inspection and replay, and the audit log of data-rights
 * operations. The audit log names its subject in `subject_*` columns on purpose: erasure deletes rows
 * of every table with (tenant, user_id) columns, and the record of an erasure must survive it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_keys_tenant').on('api_keys').columns(['tenant', 'created_at']).execute();

  await db.schema
    .createTable('dlq_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // The Kafka namespace the dead letter came from, so environments sharing a database stay apart.
    .addColumn('kafka_namespace', 'text', (c) => c.notNull())
    .addColumn('dlq_partition', 'integer', (c) => c.notNull())
    .addColumn('dlq_offset', 'text', (c) => c.notNull())
    .addColumn('notification_id', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('original_topic', 'text', (c) => c.notNull())
    .addColumn('original_partition', 'integer', (c) => c.notNull())
    .addColumn('original_offset', 'text', (c) => c.notNull())
    .addColumn('original_key', 'text')
    .addColumn('original', 'bytea')
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('replay_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('replayed_at', 'timestamptz')
    .addColumn('replayed_by', 'text')
    .addUniqueConstraint('dlq_entries_source', ['kafka_namespace', 'dlq_partition', 'dlq_offset'])
    .execute();
  await db.schema.createIndex('dlq_entries_stage').on('dlq_entries').columns(['kafka_namespace', 'stage', 'id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_tenant', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_tenant', 'text', (c) => c.notNull())
    .addColumn('subject_user_id', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_tenant', 'subject_user_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('dlq_entries').execute();
  await db.schema.dropTable('api_keys').execute();
}
