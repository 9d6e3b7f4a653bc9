import type { Kysely } from 'kysely';

/**
 * Dead letters and sandbox outbox rows hold people's messages and addresses. Naming whom each row is
 * about, as (tenant, recipient), lets data-rights export and erasure find them the way they find every
 * other personal table: by those columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('dlq_entries').addColumn('tenant', 'text').addColumn('recipient', 'text').execute();
  await db.schema.createIndex('dlq_entries_subject').on('dlq_entries').columns(['tenant', 'recipient']).execute();
  await db.schema.alterTable('channel_outbox').addColumn('recipient', 'text').execute();
  await db.schema.createIndex('channel_outbox_subject').on('channel_outbox').columns(['tenant', 'recipient']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('channel_outbox_subject').execute();
  await db.schema.alterTable('channel_outbox').dropColumn('recipient').execute();
  await db.schema.dropIndex('dlq_entries_subject').execute();
  await db.schema.alterTable('dlq_entries').dropColumn('tenant').dropColumn('recipient').execute();
}
