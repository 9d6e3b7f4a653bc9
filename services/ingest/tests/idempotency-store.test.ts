/**
 * Idempotency-Key bookkeeping in real Postgres: in flight, answered, reused for another request,
 * released after a failure, taken over after the lease, forgotten after the retention, per tenant.
 */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { stackEnv } from '../../../scripts/src/stack-env';
import { waitFor } from '../../../tests/support/wait';
import { answerOnce } from '../src/idempotent-answer';
import { IdempotencyStore } from '../src/idempotency-store';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);
const LEASE = 60_000;
const RETENTION = 24 * 3_600_000;
// In the past, so purging this test's expired keys never touches the rows of running services.
const T0 = Date.UTC(2000, 0, 1);
let db: Db;
let store: IdempotencyStore;
let n = 0;
const tenant = () => `id${RUN}-${++n}`;

beforeAll(async () => {
  db = createDb(stackEnv(process.env).databaseUrl, 4);
  await migrateToLatest(db);
  store = new IdempotencyStore(db, { leaseMs: LEASE, retentionMs: RETENTION });
});

afterAll(async () => {
  await db?.deleteFrom('ingest_idempotency').where('tenant', 'like', `id${RUN}-%`).execute();
  await db?.destroy();
});

it('holds a key in flight, then replays its answer to the same request and refuses another request', async () => {
  const t = tenant();
  const begun = await store.begin(t, 'k', 'hash-a', T0);
  expect(begun.kind).toBe('owner');
  expect(await store.begin(t, 'k', 'hash-a', T0 + 1)).toEqual({ kind: 'in_flight' });
  expect(await store.begin(t, 'k', 'hash-b', T0 + 1)).toEqual({ kind: 'reused' });
  if (begun.kind !== 'owner') throw new Error('not the owner');
  await store.complete(t, 'k', begun.claimedAt, 202, { event_id: 'e1', status: 'accepted_for_processing' });
  expect(await store.begin(t, 'k', 'hash-a', T0 + 2)).toEqual({
    kind: 'replay',
    status: 202,
    response: { event_id: 'e1', status: 'accepted_for_processing' },
  });
  expect(await store.begin(t, 'k', 'hash-b', T0 + 2)).toEqual({ kind: 'reused' });
});

it('keeps an answer that quotes what jsonb refuses (a lone surrogate, a NUL) and replays it unchanged', async () => {
  const t = tenant();
  const begun = await store.begin(t, 'k', 'hash-a', T0);
  if (begun.kind !== 'owner') throw new Error('not the owner');
  const answer = { error: { code: 'invalid_event', message: 'unknown severity "\ud800\u0000"' } };
  await store.complete(t, 'k', begun.claimedAt, 400, answer);
  expect(await store.begin(t, 'k', 'hash-a', T0 + 1)).toEqual({ kind: 'replay', status: 400, response: answer });
});

it('keeps keys per tenant', async () => {
  const [a, b] = [tenant(), tenant()];
  expect((await store.begin(a, 'shared', 'hash-a', T0)).kind).toBe('owner');
  expect((await store.begin(b, 'shared', 'hash-b', T0)).kind).toBe('owner');
});

it("lets the same request take over a claim whose lease ran out, and ignores the old claim's late answer", async () => {
  const t = tenant();
  const first = await store.begin(t, 'k', 'hash-a', T0);
  expect(await store.begin(t, 'k', 'hash-a', T0 + LEASE - 1)).toEqual({ kind: 'in_flight' });
  expect(await store.begin(t, 'k', 'hash-b', T0 + LEASE)).toEqual({ kind: 'reused' });
  const second = await store.begin(t, 'k', 'hash-a', T0 + LEASE);
  expect(second.kind).toBe('owner');
  if (first.kind !== 'owner' || second.kind !== 'owner') throw new Error('not the owner');
  await store.complete(t, 'k', first.claimedAt, 400, { stale: true });
  await store.release(t, 'k', first.claimedAt);
  expect(await store.begin(t, 'k', 'hash-a', T0 + LEASE + 1)).toEqual({ kind: 'in_flight' });
  await store.complete(t, 'k', second.claimedAt, 202, { fresh: true });
  expect(await store.begin(t, 'k', 'hash-a', T0 + LEASE + 2)).toEqual({ kind: 'replay', status: 202, response: { fresh: true } });
});

it('treats a key older than the retention as unused', async () => {
  const t = tenant();
  const first = await store.begin(t, 'k', 'hash-a', T0);
  if (first.kind !== 'owner') throw new Error('not the owner');
  await store.complete(t, 'k', first.claimedAt, 202, {});
  expect(await store.begin(t, 'k', 'hash-b', T0 + RETENTION - 1)).toEqual({ kind: 'reused' });
  expect((await store.begin(t, 'k', 'hash-b', T0 + RETENTION)).kind).toBe('owner');
});

it('purges keys older than the retention, at most `limit` per call', async () => {
  const t = tenant();
  for (let i = 0; i < 3; i++) await store.begin(t, `old${i}`, 'h', T0 - 2 * RETENTION);
  await store.begin(t, 'fresh', 'h', T0);
  expect(await store.purgeExpired(T0, 2)).toBe(2);
  expect(await store.purgeExpired(T0, 10)).toBe(1);
  expect((await db.selectFrom('ingest_idempotency').select('key').where('tenant', '=', t).execute()).map((r) => r.key)).toEqual(['fresh']);
});

describe('answerOnce', () => {
  it('does the work once and gives its answer again to the same request', async () => {
    const t = tenant();
    let runs = 0;
    const work = async () => ({ status: 202, body: { run: ++runs } });
    const first = await answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0, work);
    const again = await answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0 + 1, work);
    expect(first).toEqual({ status: 202, body: { run: 1 }, replayed: false });
    expect(again).toEqual({ status: 202, body: { run: 1 }, replayed: true });
    expect(runs).toBe(1);
    const other = await answerOnce(store, { tenant: t, key: 'k', hash: 'other' }, T0 + 2, work);
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_key_reused' } } });
  });

  it('answers 409 in flight while the first request is still working', async () => {
    const t = tenant();
    let finish: () => void = () => undefined;
    const slow = answerOnce(
      store,
      { tenant: t, key: 'k', hash: 'h' },
      T0,
      () =>
        new Promise((resolve) => {
          finish = () => resolve({ status: 202, body: {} });
        }),
    );
    await waitFor(
      "the first request's claim",
      async () => (await db.selectFrom('ingest_idempotency').select('key').where('tenant', '=', t).executeTakeFirst()) ?? undefined,
    );
    const second = await answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0 + 1, async () => ({
      status: 202,
      body: { second: true },
    }));
    expect(second).toMatchObject({ status: 409, retryAfterS: 1, body: { error: { code: 'idempotency_key_in_flight' } } });
    finish();
    expect((await slow).status).toBe(202);
  });

  it('releases the key after a failure or a 5xx answer, so the retry does the work', async () => {
    const t = tenant();
    await expect(
      answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0, async () => {
        throw new Error('broker down');
      }),
    ).rejects.toThrow('broker down');
    expect(await answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0 + 1, async () => ({ status: 503, body: {} }))).toMatchObject({
      status: 503,
      replayed: false,
    });
    expect(await answerOnce(store, { tenant: t, key: 'k', hash: 'h' }, T0 + 2, async () => ({ status: 202, body: { ok: true } }))).toEqual({
      status: 202,
      body: { ok: true },
      replayed: false,
    });
  });
});
