/**
 * Audience membership as the API manages it (GET/PUT/DELETE /v1/audiences/...).
 *
 * user_contacts.audiences stays the list the API publishes in each user's Recipient record: every
 * publish path reads and writes it with the rest of the row, and so do replicas of the previous release
 * during a rolling upgrade. contact_audiences is its index, one row per (tenant, audience, user_id):
 * keyset pages of an audience's members are a range scan of its primary key, and member counts per
 * audience come from it, neither of which a jsonb list can serve. A trigger keeps it, so no writer of
 * user_contacts (an erasure, an old replica) can let the two drift.
 *
 * contacts_from_api separates contact points set through the API from those adopted from records
 * other writers put on notifications.recipients: existing rows were all written through the API; new
 * rows are not until a contact change marks them.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_audiences')
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_audiences_pk', ['tenant', 'audience', 'user_id'])
    .execute();
  await db.schema.createIndex('contact_audiences_by_user').on('contact_audiences').columns(['tenant', 'user_id']).execute();

  await sql`
    CREATE FUNCTION contact_audiences_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM contact_audiences AS c
        WHERE c.tenant = OLD.tenant AND c.user_id = OLD.user_id AND (TG_OP = 'DELETE' OR NOT (NEW.audiences ? c.audience));
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO contact_audiences (tenant, audience, user_id)
        SELECT NEW.tenant, a.audience, NEW.user_id FROM jsonb_array_elements_text(NEW.audiences) AS a(audience)
        ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER contact_audiences_on_insert_delete AFTER INSERT OR DELETE ON user_contacts
    FOR EACH ROW EXECUTE FUNCTION contact_audiences_sync()`.execute(db);
  await sql`
    CREATE TRIGGER contact_audiences_on_update AFTER UPDATE OF audiences ON user_contacts
    FOR EACH ROW WHEN (OLD.audiences IS DISTINCT FROM NEW.audiences) EXECUTE FUNCTION contact_audiences_sync()`.execute(db);
  await sql`
    INSERT INTO contact_audiences (tenant, audience, user_id)
    SELECT u.tenant, a.audience, u.user_id FROM user_contacts AS u, jsonb_array_elements_text(u.audiences) AS a(audience)
    ON CONFLICT DO NOTHING`.execute(db);

  await db.schema
    .alterTable('user_contacts')
    .addColumn('contacts_from_api', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema
    .alterTable('user_contacts')
    .alterColumn('contacts_from_api', (c) => c.setDefault(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('user_contacts').dropColumn('contacts_from_api').execute();
  await sql`DROP TRIGGER contact_audiences_on_update ON user_contacts`.execute(db);
  await sql`DROP TRIGGER contact_audiences_on_insert_delete ON user_contacts`.execute(db);
  await sql`DROP FUNCTION contact_audiences_sync()`.execute(db);
  await db.schema.dropTable('contact_audiences').execute();
}
