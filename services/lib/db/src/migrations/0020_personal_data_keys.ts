import { sql, type Kysely } from 'kysely';

/**
 * Each user's own data key, which seals the user's contact points in Kafka records (PersonalSealer).
 * The key is stored wrapped by DATA_KEYS, never in clear. Erasing the user deletes the row, and with
 * it the only way to open any copy of those records on any topic, in the DLQ or in a backup.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('personal_data_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('personal_data_keys_user').on('personal_data_keys').columns(['tenant', 'user_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('personal_data_keys').execute();
}
