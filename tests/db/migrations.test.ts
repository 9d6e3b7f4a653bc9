/**
 * Migrations against a database of their own: a fresh one is brought to the latest schema, a second
 * run changes nothing, and a database a newer release has migrated further is left alone (an older
 * replica restarting during a rolling upgrade must not refuse to start).
 */
import { createDb, migrateToLatest, sql, type Db } from '@notify/db';
import { stackEnv } from '../../scripts/src/stack-env';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

jest.setTimeout(60_000);

describe('migrateToLatest', () => {
  let url: string;
  let db: Db;

  beforeAll(async () => {
    url = await createTestDatabase(stackEnv(process.env).databaseUrl);
    db = createDb(url, 2);
  });
  afterAll(async () => {
    await db?.destroy();
    if (url) await dropTestDatabase(url);
  });

  it('migrates a fresh database, then finds nothing to do', async () => {
    const applied = await migrateToLatest(db);
    expect(applied[0]).toBe('0001_inbox_and_claims');
    expect(applied).toContain('0009_personal_data_subjects');
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('leaves a database alone that a newer release migrated further', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_release', now()::text)`.execute(db);
    await expect(migrateToLatest(db)).resolves.toEqual([]);
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'inbox'`.execute(
      db,
    );
    expect(tables.rows[0]?.n).toBe(1);
  });
});
