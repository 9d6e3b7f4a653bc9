import { sql, type Kysely } from 'kysely';

/**
 * Signing secrets of users' own webhook endpoints: each user's endpoint is signed with secrets of its
 * own, never the tenant's, so a user cannot present payloads signed as the tenant. A rotation keeps
 * the previous secret signing until `retires_at`, so the receiver can switch without a gap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_webhook_secrets')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('retires_at', 'timestamptz')
    .addPrimaryKeyConstraint('user_webhook_secrets_pkey', ['tenant', 'user_id', 'secret'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_webhook_secrets').execute();
}
