/**
 * TenantTemplates, what channel workers render with, against the real Postgres: a tenant's active
 * versions override the shipped texts name by name and for that tenant only; a change written by the
 * API's store is picked up through LISTEN/NOTIFY within moments (the periodic re-read is off here),
 * also after the listening connection was killed; a pinned version (a test send) is found active or
 * not, and one that does not exist is retried until a re-read has looked, then fails for good; a
 * stored version that does not compile is skipped for the shipped text.
 */
import { randomUUID } from 'node:crypto';
import { BUNDLED_TEMPLATES_DIR, TenantTemplates, type MessageTemplate } from '@notify/channel';
import { createDb, migrateToLatest, sql, type Db } from '@notify/db';
import { PermanentError, RetryableError } from '@notify/errors';
import { createLogger } from '@notify/runner';
import { TemplateStore } from '../../services/api/src/templates/template-store';
import { stackEnv } from '../../scripts/src/stack-env';
import { waitFor } from '../support/wait';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);
const A = `tt-a-${RUN}`;
const B = `tt-b-${RUN}`;
const { databaseUrl } = stackEnv(process.env);
const log = createLogger('tenant-templates-test', 'silent');
const errors = jest.spyOn(log, 'error');

/** The source text of a found template's field: what was chosen, without rendering it. */
const text = (found: { template: MessageTemplate } | undefined, field: 'title' | 'body' = 'title') => found?.template[field]?.source;
const slot = (tenant: string, templateId: string, channel: string, locale: string) => ({ tenant, templateId, channel, locale });

describe('TenantTemplates', () => {
  let db: Db;
  let store: TemplateStore;
  let templates: TenantTemplates;

  beforeAll(async () => {
    db = createDb(databaseUrl, 4);
    await migrateToLatest(db);
    store = new TemplateStore(db);
    templates = new TenantTemplates({ db, listenUrl: databaseUrl, dir: BUNDLED_TEMPLATES_DIR, log, refreshMs: 3_600_000 });
    await templates.start();
  });

  afterAll(async () => {
    await templates?.close();
    await db?.deleteFrom('templates').where('tenant', 'in', [A, B]).execute();
    await db?.destroy();
  });

  it('overrides the shipped texts name by name, for its own tenant only, through NOTIFY', async () => {
    const shipped = text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'email', 'en'));
    expect(shipped).toContain('MARGIN CALL');
    await store.create(slot(A, 'MARGIN_CALL', 'all', 'en'), { title: 'A margin {{ payload.account_id }}', body: 'b' }, 'test', true);
    await waitFor(
      'the change heard',
      () =>
        text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'email', 'en')) === 'A margin {{ payload.account_id }}' ? true : undefined,
      5_000,
      20,
    );
    // Another tenant, and a rule's template id ahead of the type, still get the shipped texts.
    expect(text(templates.find({ tenant: B, type: 'MARGIN_CALL' }, 'email', 'en'))).toBe(shipped);
    expect(text(templates.find({ tenant: A, template: 'risk.margin_call', type: 'MARGIN_CALL' }, 'email', 'en'))).toContain(
      'Margin call on account',
    );
    // The locale chain: a fr-CA reader gets the tenant's en text only when no French text exists for the name.
    expect(text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'email', 'fr-CA'))).toBe('A margin {{ payload.account_id }}');
    await store.create(slot(A, 'MARGIN_CALL', 'email', 'fr'), { subject: 'Appel {{ payload.account_id }}', text: 'b' }, 'test', true);
    await waitFor(
      'the French text',
      () =>
        text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'email', 'fr-CA')) === 'Appel {{ payload.account_id }}' ? true : undefined,
      5_000,
      20,
    );
    expect(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'email', 'fr-CA')?.locale).toBe('fr');

    // Rollback and delete are heard too.
    await store.create(slot(A, 'MARGIN_CALL', 'all', 'en'), { title: 'A v2', body: 'b' }, 'test', true);
    await waitFor(
      'v2',
      () => (text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'push', 'en')) === 'A v2' ? true : undefined),
      5_000,
      20,
    );
    await store.activate(slot(A, 'MARGIN_CALL', 'all', 'en'), 1);
    await waitFor(
      'rolled back',
      () =>
        text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'push', 'en')) === 'A margin {{ payload.account_id }}' ? true : undefined,
      5_000,
      20,
    );
    await store.delete(slot(A, 'MARGIN_CALL', 'all', 'en'));
    await waitFor(
      'deleted',
      () =>
        text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'push', 'en')) !== 'A margin {{ payload.account_id }}' ? true : undefined,
      5_000,
      20,
    );
    expect(text(templates.find({ tenant: A, type: 'MARGIN_CALL' }, 'push', 'en'))).toBe(
      text(templates.find({ tenant: B, type: 'MARGIN_CALL' }, 'push', 'en')),
    );
  });

  it('hears changes again after its listening connection is killed', async () => {
    const killed = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and query = 'LISTEN templates_changed' and pid <> pg_backend_pid()`.execute(db);
    expect(killed.rows[0]?.n).toBeGreaterThanOrEqual(1);
    await waitFor(
      'the listener back',
      async () => {
        const back = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query = 'LISTEN templates_changed'`.execute(
          db,
        );
        return (back.rows[0]?.n ?? 0) >= 1 ? true : undefined;
      },
      10_000,
      100,
    );
    await store.create(slot(A, 'ORDER_FILLED', 'push', 'en'), { title: 'filled after reconnect', body: 'b' }, 'test', true);
    await waitFor(
      'the change after the reconnect',
      () => (text(templates.find({ tenant: A, type: 'ORDER_FILLED' }, 'push', 'en')) === 'filled after reconnect' ? true : undefined),
      5_000,
      20,
    );
  });

  it('finds a pinned version active or not, and fails a version that does not exist once a re-read has looked', async () => {
    await store.create(slot(A, 'PRICE_ALERT', 'sms', 'en'), { text: 'pinned one' }, 'test', false);
    await store.create(slot(A, 'PRICE_ALERT', 'sms', 'en'), { text: 'active two' }, 'test', true);
    await waitFor(
      'both versions',
      () => (text(templates.find({ tenant: A, type: 'PRICE_ALERT' }, 'sms', 'en'), 'body') === 'active two' ? true : undefined),
      5_000,
      20,
    );
    expect(text(templates.find({ tenant: A, template: 'PRICE_ALERT', type: 'PRICE_ALERT', version: 1 }, 'sms', 'en'), 'body')).toBe(
      'pinned one',
    );

    const missing = () => templates.find({ tenant: A, template: 'PRICE_ALERT', type: 'PRICE_ALERT', version: 7 }, 'sms', 'en');
    expect(missing).toThrow(RetryableError);
    await templates.refresh();
    expect(missing).toThrow(PermanentError);
  });

  it('skips a stored version that does not compile, for the shipped text', async () => {
    await db
      .insertInto('templates')
      .values({
        tenant: A,
        template_id: 'DEAL_SCARCITY',
        channel: 'all',
        locale: 'en',
        version: 1,
        fields: JSON.stringify({ title: '{{ x | nosuchfilter }}', body: 'b' }),
        created_by: 'test',
        active: true,
      })
      .execute();
    await templates.refresh(A);
    expect(text(templates.find({ tenant: A, type: 'DEAL_SCARCITY' }, 'slack', 'en'))).toBe(
      text(templates.find({ tenant: B, type: 'DEAL_SCARCITY' }, 'slack', 'en')),
    );
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ tenant: A, template_id: 'DEAL_SCARCITY' }),
      'stored template does not compile; the shipped text applies',
    );
  });
});
