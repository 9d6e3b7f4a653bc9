/**
 * Per-user data keys in real Postgres: one key per user however many writers race to create it,
 * values that open only as their own user's, keys stored wrapped, and an erased key that makes every
 * value sealed with it unreadable for good.
 */
import { randomUUID } from 'node:crypto';
import { createDb, ErasedError, isPersonal, migrateToLatest, PersonalKeys, type Db } from '@notify/db';
import { parseSealingKeys, Sealer } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { TEST_PERSONAL_DATA_ENV } from '../support/test-keys';

jest.setTimeout(60_000);

const TENANT = `pk-${randomUUID().slice(0, 8)}`;
let db: Db;
let clock = 0;
const wrapping = new Sealer(parseSealingKeys(TEST_PERSONAL_DATA_ENV.DATA_KEYS));
const keys = () => new PersonalKeys(db, wrapping, { cacheMs: 1_000, now: () => clock });

beforeAll(async () => {
  db = createDb(stackEnv(process.env).databaseUrl, 4);
  await migrateToLatest(db);
});

afterAll(async () => {
  await db?.deleteFrom('personal_data_keys').where('tenant', '=', TENANT).execute();
  await db?.destroy();
});

it("seals a value with the user's own key and opens it in another process, bound to that user", async () => {
  const sealed = await keys().seal(TENANT, 'ana', 'ana@example.com');
  expect(isPersonal(sealed)).toBe(true);
  expect(sealed).not.toContain('ana@example.com');
  expect(await keys().open(sealed, `${TENANT}/ana`)).toBe('ana@example.com');
  await expect(keys().open(sealed, `${TENANT}/bob`)).rejects.toThrow(/not .*bob/);
  const row = await db
    .selectFrom('personal_data_keys')
    .selectAll()
    .where('tenant', '=', TENANT)
    .where('user_id', '=', 'ana')
    .executeTakeFirstOrThrow();
  expect(row.wrapped_key.startsWith('sealed.v1.test.')).toBe(true);
});

it('creates one key per user when writers race', async () => {
  const writers = Array.from({ length: 8 }, () => keys());
  const sealed = await Promise.all(writers.map((w, i) => w.seal(TENANT, 'race', `value-${i}`)));
  const ids = new Set(sealed.map((s) => s.split('.')[2]));
  expect(ids.size).toBe(1);
  const reader = keys();
  expect(await Promise.all(sealed.map((s) => reader.open(s, `${TENANT}/race`)))).toEqual(sealed.map((_, i) => `value-${i}`));
});

it('makes every value of an erased user unreadable, in a process that had the key cached once its cache lapses', async () => {
  const writer = keys();
  const reader = keys();
  const sealed = await writer.seal(TENANT, 'gone', '+15550001111');
  expect(await reader.open(sealed, `${TENANT}/gone`)).toBe('+15550001111');
  await db.deleteFrom('personal_data_keys').where('tenant', '=', TENANT).where('user_id', '=', 'gone').execute();
  await expect(keys().open(sealed, `${TENANT}/gone`)).rejects.toBeInstanceOf(ErasedError);
  clock += 1_001;
  await expect(reader.open(sealed, `${TENANT}/gone`)).rejects.toBeInstanceOf(ErasedError);
  // A user of the same id later gets a new key; the old values stay unreadable.
  writer.forget(TENANT, 'gone');
  const again = await writer.seal(TENANT, 'gone', '+15550002222');
  expect(await keys().open(again, `${TENANT}/gone`)).toBe('+15550002222');
  await expect(keys().open(sealed, `${TENANT}/gone`)).rejects.toBeInstanceOf(ErasedError);
});
