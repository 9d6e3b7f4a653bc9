/**
 * The endpoint health records on real Postgres, as several worker replicas write them at once: every
 * failure is counted, the streak starts at the first one, a success ends it (but never a disable),
 * and an endpoint disabled by two replicas at once is disabled once, with one audit row.
 */
import { randomUUID } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { stackEnv } from '../../../scripts/src/stack-env';
import { HealthStore } from '../src/health-store';

describe('HealthStore', () => {
  let db: Db;
  let store: HealthStore;
  const tenant = `health-${randomUUID().slice(0, 8)}`;
  const endpoint = '0123456789abcdef';
  const t = (s: number) => new Date(Date.parse('2026-12-01T00:00:00Z') + s * 1000);

  beforeAll(async () => {
    db = createDb(stackEnv(process.env).databaseUrl, 8);
    await migrateToLatest(db);
    store = new HealthStore(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('counts concurrent failures, keeps the first as failing_since, and ends the streak on success', async () => {
    expect(await store.find(tenant, endpoint)).toBeNull();
    await store.recordFailure(tenant, endpoint, t(0), 'UND_ERR_HEADERS_TIMEOUT: timed out');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.recordFailure(tenant, endpoint, t(1 + i), `http_503: answered 503 (${i})`)),
    );
    const failing = await store.find(tenant, endpoint);
    expect(failing).toMatchObject({ failures: 11, failingSince: t(0), disabledAt: null });
    expect(failing?.lastFailureAt?.getTime()).toBeGreaterThanOrEqual(t(1).getTime());

    await store.recordSuccess(tenant, endpoint, t(20));
    expect(await store.find(tenant, endpoint)).toMatchObject({ failures: 0, failingSince: null });
    await store.recordFailure(tenant, endpoint, t(30), 'http_502: answered 502');
    expect(await store.find(tenant, endpoint)).toMatchObject({ failures: 1, failingSince: t(30), lastError: 'http_502: answered 502' });
  });

  it('disables once when two replicas disable at the same time, with one audit row naming the service', async () => {
    const results = await Promise.all([
      store.disable(tenant, endpoint, t(40), 'failing since a while'),
      store.disable(tenant, endpoint, t(41), 'failing since a while (other replica)'),
    ]);
    expect(results.filter((r) => r.disabledNow)).toHaveLength(1);
    for (const r of results) expect(r.record.disabledAt).not.toBeNull();
    const audit = await db.selectFrom('audit_log').selectAll().where('subject_tenant', '=', tenant).execute();
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'webhook_endpoint_disabled',
        actor_role: 'service',
        actor_user_id: 'channel-webhook',
        detail: expect.objectContaining({ endpoint, failures: 1, failing_since: t(30).toISOString() }),
      }),
    ]);
    // A success seen late (a send that started before the disable) does not bring it back: only the API does.
    await store.recordFailure(tenant, endpoint, t(42), 'http_503: answered 503');
    await store.recordSuccess(tenant, endpoint, t(43));
    expect((await store.find(tenant, endpoint))?.disabledAt).not.toBeNull();
  });
});
