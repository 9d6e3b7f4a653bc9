/**
 * Message templates a tenant writes through the API, overriding the shipped ones name by name.
 * Every change is a new version and old versions are kept, so a rollback is activating an older
 * one; at most one version is active per (tenant, template id, channel, locale), which the partial
 * unique index enforces even when two operators activate at once. `channel` is a channel name or
 * `all` (every channel); `fields` holds the template texts (title, body, html, item, group, more).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('fields', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .addUniqueConstraint('templates_version_unique', ['tenant', 'template_id', 'channel', 'locale', 'version'])
    .execute();
  await sql`CREATE UNIQUE INDEX templates_one_active ON templates (tenant, template_id, channel, locale) WHERE active`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('templates').execute();
}
