import { sql, type Kysely } from 'kysely';

/**
 * Health of each tenant's webhook endpoint, as channel-webhook sees it: since when it has been failing
 * without a success in between, and whether it was disabled for it. The endpoint is named by a digest
 * of its URL, not the URL, so a changed WEBHOOK_ENDPOINTS starts a fresh record and no address is kept.
 * A tenant is named but no user: nothing here is personal data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoint_health')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('failing_since', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_reason', 'text')
    .addColumn('enabled_at', 'timestamptz')
    .addColumn('enabled_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_endpoint_health_pkey', ['tenant', 'endpoint'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_endpoint_health').execute();
}
