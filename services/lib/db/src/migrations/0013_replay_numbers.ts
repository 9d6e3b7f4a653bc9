import type { Kysely } from 'kysely';

/**
 * Which run of a notification a claim and a logged message belong to: 0 for the original, n for the
 * n-th operator replay of its dead letter. A replay may re-open a claim an earlier run left failed,
 * while a redelivered record of the same run still finds its claim settled; and provider feedback
 * for a replayed message reports the replay it closes. The API numbers a notification's replays over
 * all its dead letters, hence the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('delivery_claims')
    .addColumn('replay', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('channel_messages')
    .addColumn('replay', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('dlq_entries_by_notification').on('dlq_entries').columns(['kafka_namespace', 'notification_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('dlq_entries_by_notification').execute();
  await db.schema.alterTable('channel_messages').dropColumn('replay').execute();
  await db.schema.alterTable('delivery_claims').dropColumn('replay').execute();
}
