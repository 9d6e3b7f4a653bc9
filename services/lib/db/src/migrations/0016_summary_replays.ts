import type { Kysely } from 'kysely';

/**
 * Which run of a notification its summary's terminal status came from: 0 for the original, n for the
 * n-th operator replay of its dead letter. A replay's terminal supersedes an earlier run's, so a
 * dead-lettered notification that a replay delivered reads `delivered` in analytics and the console.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('delivery_summary')
    .addColumn('terminal_replay', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('delivery_summary').dropColumn('terminal_replay').execute();
}
