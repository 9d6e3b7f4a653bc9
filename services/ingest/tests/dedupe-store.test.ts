/**
 * The dedupe window in real Postgres: the window, redeliveries, tenants, a tick of claims written as
 * one statement, bounded purging, and a database that cannot be reached failing retryably.
 */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, sql, type Db } from '@notify/db';
import { RetryableError } from '@notify/errors';
import { stackEnv } from '../../../scripts/src/stack-env';
import { DedupeStore } from '../src/dedupe-store';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);
const WINDOW = 60_000;
// In the past, so purging this test's expired claims never touches the real-time rows of running services.
const T0 = Date.UTC(2000, 0, 1);
let db: Db;
let store: DedupeStore;
let n = 0;
/** A tenant of its own for each test, so tests share no keys. */
const tenant = () => `dd${RUN}-${++n}`;

beforeAll(async () => {
  db = createDb(stackEnv(process.env).databaseUrl, 4);
  await migrateToLatest(db);
  store = new DedupeStore(db, WINDOW);
});

afterAll(async () => {
  await db?.deleteFrom('ingest_dedupe').where('tenant', 'like', `dd${RUN}-%`).execute();
  await db?.destroy();
});

it('lets the first event through, refuses another within the window, and hands the key over after it', async () => {
  const t = tenant();
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e1' }, T0)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e2' }, T0 + WINDOW - 1)).toEqual({ duplicate: true, holder: 'e1' });
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e2' }, T0 + WINDOW)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e1' }, T0 + WINDOW + 1)).toEqual({ duplicate: true, holder: 'e2' });
});

it('does not take a redelivered event for a duplicate of itself, nor extend its window', async () => {
  const t = tenant();
  await store.claim({ tenant: t, key: 'k', eventId: 'e1' }, T0);
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e1' }, T0 + 10)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e1' }, T0 + WINDOW - 1)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: t, key: 'k', eventId: 'e2' }, T0 + WINDOW)).toEqual({ duplicate: false });
});

it('keeps tenants apart: the same key proceeds once per tenant', async () => {
  const [a, b] = [tenant(), tenant()];
  expect(await store.claim({ tenant: a, key: 'shared', eventId: 'ea' }, T0)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: b, key: 'shared', eventId: 'eb' }, T0)).toEqual({ duplicate: false });
  expect(await store.claim({ tenant: b, key: 'shared', eventId: 'eb2' }, T0 + 1)).toEqual({ duplicate: true, holder: 'eb' });
});

it('decides the claims of one tick in one statement, in call order', async () => {
  const t = tenant();
  const claims = Array.from({ length: 300 }, (_, i) => ({ tenant: t, key: `k${i}`, eventId: `e${i}` }));
  const verdicts = await Promise.all([
    ...claims.map((c) => store.claim(c, T0)),
    store.claim({ tenant: t, key: 'k0', eventId: 'late' }, T0),
    store.claim({ tenant: t, key: 'k0', eventId: 'e0' }, T0),
  ]);
  expect(verdicts.slice(0, 300).every((v) => !v.duplicate)).toBe(true);
  expect(verdicts.slice(300)).toEqual([{ duplicate: true, holder: 'e0' }, { duplicate: false }]);
  // Rows written by one statement carry one transaction id.
  const xmins = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from ingest_dedupe where tenant = ${t}`.execute(db);
  expect(xmins.rows[0]?.n).toBe(1);
});

it('purges only expired claims, at most `limit` per call', async () => {
  const t = tenant();
  await Promise.all(Array.from({ length: 5 }, (_, i) => store.claim({ tenant: t, key: `old${i}`, eventId: `o${i}` }, T0 - 10 * WINDOW)));
  await store.claim({ tenant: t, key: 'fresh', eventId: 'f' }, T0);
  const left = async () =>
    (await db.selectFrom('ingest_dedupe').select('dedupe_key').where('tenant', '=', t).execute()).map((r) => r.dedupe_key).sort();
  expect(await store.purgeExpired(T0, 2)).toBe(2);
  expect(await left()).toHaveLength(4);
  expect(await store.purgeExpired(T0, 10)).toBe(3);
  expect(await left()).toEqual(['fresh']);
});

it('fails retryably when the database cannot be reached', async () => {
  const unreachable = createDb('postgres://postgres@127.0.0.1:1/nowhere', 1);
  try {
    const failed = await new DedupeStore(unreachable, WINDOW)
      .claim({ tenant: tenant(), key: 'k', eventId: 'e' }, T0)
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RetryableError);
    expect((failed as RetryableError).code).toBe('dedupe_store_unavailable');
  } finally {
    await unreachable.destroy();
  }
});
