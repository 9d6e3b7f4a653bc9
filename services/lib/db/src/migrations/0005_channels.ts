import { sql, type Kysely } from 'kysely';

/** Channel workers: the sandbox outbox, provider opt-outs, and sent messages awaiting provider feedback. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_outbox')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('channel_outbox_channel_seq').on('channel_outbox').columns(['channel', 'seq']).execute();

  await db.schema
    .createTable('channel_opt_outs')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_opt_outs_pk', ['channel', 'address'])
    .execute();

  await db.schema
    .createTable('channel_messages')
    .addColumn('notification_id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('final_status', 'text', (c) => c.check(sql`final_status in ('delivered', 'failed')`))
    .addColumn('final_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('channel_messages_provider_ref').on('channel_messages').columns(['provider', 'provider_ref']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_messages').execute();
  await db.schema.dropTable('channel_opt_outs').execute();
  await db.schema.dropTable('channel_outbox').execute();
}
