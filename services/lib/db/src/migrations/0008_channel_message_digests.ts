import type { Kysely } from 'kysely';

/**
 * A digest sent through a provider that reports delivery later keeps its member notifications with the
 * logged message, so the report that closes the digest closes every member too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_messages').addColumn('digest_members', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('channel_messages').dropColumn('digest_members').execute();
}
