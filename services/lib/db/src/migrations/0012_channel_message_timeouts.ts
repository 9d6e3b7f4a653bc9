import { sql, type Kysely } from 'kysely';

/**
 * A message the provider accepted but never reported on is closed after the channel's feedback
 * timeout, as `sent` with reason `no_feedback`. The clock starts at acceptance (`accepted_at`), not at
 * logging: a row opened for an attempt that failed, or that is waiting for its retry, was never
 * accepted and must not time out. The partial index holds only open, accepted rows, the ones a sweep reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_messages').addColumn('accepted_at', 'timestamptz').execute();
  // Rows logged before this migration: a provider reference means the provider took the message.
  await sql`update channel_messages set accepted_at = created_at where provider_ref is not null`.execute(db);
  await sql`alter table channel_messages drop constraint channel_messages_final_status_check`.execute(db);
  await sql`alter table channel_messages add constraint channel_messages_final_status_check check (final_status in ('delivered', 'failed', 'sent'))`.execute(
    db,
  );
  await sql`create index channel_messages_awaiting_feedback on channel_messages (channel, accepted_at) where final_status is null and accepted_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('channel_messages_awaiting_feedback').execute();
  await sql`alter table channel_messages drop constraint channel_messages_final_status_check`.execute(db);
  // NOT VALID: rows closed as `sent` stay as they are; new rows are checked again.
  await sql`alter table channel_messages add constraint channel_messages_final_status_check check (final_status in ('delivered', 'failed')) not valid`.execute(
    db,
  );
  await db.schema.alterTable('channel_messages').dropColumn('accepted_at').execute();
}
