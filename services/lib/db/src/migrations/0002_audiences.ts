/**
 * The router's audience index: one row per (tenant, audience, member), fed from the compacted
 * notifications.recipients topic. The primary key doubles as the keyset-pagination index of fan-out
 * (WHERE tenant = $1 AND audience = $2 AND user_id > $cursor ORDER BY user_id LIMIT n is a range scan);
 * the (tenant, user_id) index serves replacing or deleting one recipient's memberships.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audience_members')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audience_members_pkey', ['tenant', 'audience', 'user_id'])
    .execute();
  await db.schema.createIndex('audience_members_by_user').on('audience_members').columns(['tenant', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audience_members').execute();
}
