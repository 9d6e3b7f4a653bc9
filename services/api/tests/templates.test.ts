/**
 * /v1/templates against the real Postgres and Kafka: versions created, listed, read, activated,
 * rolled back and deleted per tenant (another tenant sees none of it); a template that does not
 * compile refused with its field, line and column and never stored; previews rendered by the
 * workers' function (money and dates per locale, the fr-CA → fr fallback, SMS segments, the email's
 * two parts, a past event's payload, a variable the sample lacks); a test send published to the caller's own address on the
 * channel's dispatch topic, pinned to the version; the shipped templates; the OpenAPI document.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Dispatch } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';

jest.setTimeout(120_000);

const RUN = randomUUID().slice(0, 8);
const TENANT_A = `tpl-a-${RUN}`;
const TENANT_B = `tpl-b-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const SAMPLE = { account_id: `ACC-${RUN}`, shortfall: 1250.5, currency: 'EUR', deadline: '2026-12-04T15:00:00Z' };

interface Reply {
  status: number;
  json: any;
}

describe('/v1/templates', () => {
  let stack: ApiStack;
  let db: Client;
  let dispatches: TopicReader<Dispatch>;

  const call = async (tenant: string, method: string, path: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${stack.url()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.operatorToken(tenant)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    stack = await startApiStack({ env: { UNSUBSCRIBE_SECRET: 'u'.repeat(32), UNSUBSCRIBE_BASE_URL: 'https://api.test/v1/unsubscribe' } });
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    dispatches = await readTopic<Dispatch>(brokers, registryUrl, stack.topic('notifications.dispatch.email'));
  }, 120_000);

  afterAll(async () => {
    await dispatches?.close();
    await db?.query('delete from templates where tenant = any($1)', [[TENANT_A, TENANT_B]]);
    await db?.query('delete from user_contacts where tenant = any($1)', [[TENANT_A, TENANT_B]]);
    await db?.query('delete from inbox where tenant = any($1)', [[TENANT_A, TENANT_B]]);
    await db?.end();
    await stack?.stop();
  });

  it('stores versions, activates, rolls back and deletes, per tenant', async () => {
    const path = '/v1/templates/MARGIN_CALL/email/en';
    expect((await call(TENANT_A, 'GET', path)).status).toBe(404);
    const v1 = await call(TENANT_A, 'POST', `${path}/versions`, { fields: { subject: 'v1 {{ payload.account_id }}', text: 'one' } });
    expect(v1).toEqual({ status: 201, json: { version: 1, active: false } });
    const v2 = await call(TENANT_A, 'POST', `${path}/versions`, {
      fields: { title: 'v2 {{ payload.account_id }}', body: 'two' },
      activate: true,
    });
    expect(v2).toEqual({ status: 201, json: { version: 2, active: true } });

    let detail = await call(TENANT_A, 'GET', path);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({ template_id: 'MARGIN_CALL', channel: 'email', locale: 'en', active_version: 2 });
    expect(detail.json.versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(detail.json.versions[1]).toMatchObject({
      fields: { subject: 'v1 {{ payload.account_id }}', text: 'one' },
      created_by: `${TENANT_A}/operator-1`,
    });

    // Rollback: version 1 again, version 2 kept.
    expect((await call(TENANT_A, 'POST', `${path}/versions/1/activate`)).status).toBe(200);
    detail = await call(TENANT_A, 'GET', path);
    expect(detail.json.active_version).toBe(1);
    expect(detail.json.versions.filter((v: { active: boolean }) => v.active).map((v: { version: number }) => v.version)).toEqual([1]);
    expect((await call(TENANT_A, 'POST', `${path}/versions/9/activate`)).status).toBe(404);

    const list = await call(TENANT_A, 'GET', '/v1/templates');
    expect(list.json.templates).toEqual([
      expect.objectContaining({ template_id: 'MARGIN_CALL', channel: 'email', locale: 'en', active_version: 1, latest_version: 2 }),
    ]);
    // Another tenant's operator sees nothing of it and cannot change it.
    expect((await call(TENANT_B, 'GET', '/v1/templates')).json.templates).toEqual([]);
    expect((await call(TENANT_B, 'GET', path)).status).toBe(404);
    expect((await call(TENANT_B, 'DELETE', path)).status).toBe(404);

    expect((await call(TENANT_A, 'DELETE', path)).status).toBe(204);
    expect((await call(TENANT_A, 'GET', path)).status).toBe(404);
    expect((await call(TENANT_A, 'GET', '/v1/templates')).json.templates).toEqual([]);
  });

  it('refuses a template that does not compile with its field, line and column, and stores nothing', async () => {
    const path = '/v1/templates/ORDER_FILLED/sms/en';
    const unknownFilter = await call(TENANT_A, 'POST', `${path}/versions`, {
      fields: { text: 'Filled\n  {{ payload.price | nosuchfilter }}' },
      activate: true,
    });
    expect(unknownFilter.status).toBe(422);
    expect(unknownFilter.json.errors).toEqual([expect.objectContaining({ field: 'body', line: 2, column: expect.any(Number) })]);
    expect(unknownFilter.json.errors[0].column).toBeGreaterThan(1);
    const syntax = await call(TENANT_A, 'POST', `${path}/versions`, { fields: { text: 'Filled {% if payload.price %} no end' } });
    expect(syntax.status).toBe(422);
    expect(syntax.json.errors[0]).toMatchObject({ field: 'body', line: 1 });
    const unknownField = await call(TENANT_A, 'POST', `${path}/versions`, { fields: { text: 'ok', script: 'x' } });
    expect(unknownField.status).toBe(422);
    expect(unknownField.json.errors[0]).toMatchObject({ field: 'script' });
    expect((await call(TENANT_A, 'GET', path)).status).toBe(404);
  });

  it("previews with the worker's renderer: money and dates per locale, fr-CA falling back to fr, SMS segments, both email parts", async () => {
    const fields = {
      title: 'Appel {{ payload.account_id }}',
      body: 'Manque {{ payload.shortfall | money: payload.currency }} avant {{ payload.deadline | date }}',
    };
    const fr = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'fr',
      fields,
      payload: SAMPLE,
    });
    expect(fr.status).toBe(200);
    expect(fr.json.title).toBe(`Appel ${SAMPLE.account_id}`);
    expect(fr.json.body.replace(/[\u202f\u00a0]/g, ' ')).toMatch(/^Manque 1 250,50 € avant 4 déc\.? 2026$/);
    expect(fr.json.locale_used).toBe('fr');

    // A stored fr version serves fr-CA readers (no fr-CA text), formatted the Canadian French way.
    await call(TENANT_A, 'POST', '/v1/templates/MARGIN_CALL/push/fr/versions', { fields, activate: true });
    const frCa = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'fr-CA',
      type: 'MARGIN_CALL',
      payload: SAMPLE,
    });
    expect(frCa.status).toBe(200);
    expect(frCa.json.title).toBe(`Appel ${SAMPLE.account_id}`);
    expect(frCa.json.locale_used).toBe('fr');
    expect(frCa.json.body.replace(/[\u202f\u00a0]/g, ' ')).toContain('1 250,50 €');
    const en = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'en-US',
      type: 'MARGIN_CALL',
      payload: SAMPLE,
    });
    expect(en.json.title).toBe(`MARGIN CALL on ${SAMPLE.account_id}`);
    expect(en.json.body).toContain('€1,250.50');
    // Another tenant still gets the shipped French text.
    const frB = await call(TENANT_B, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'fr-CA',
      type: 'MARGIN_CALL',
      payload: SAMPLE,
    });
    expect(frB.json.title).not.toContain('Appel ');

    const sms = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'sms',
      locale: 'en',
      fields: { text: `Margin call ${'ő'.repeat(80)} {{ payload.account_id }}` },
      payload: SAMPLE,
    });
    expect(sms.status).toBe(200);
    expect(sms.json.segments).toEqual({ count: 2, encoding: 'UCS-2', units: sms.json.body.length });

    const email = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      payload: { ...SAMPLE, account_id: '<b>x</b>' },
      fields: {
        subject: 'Margin call {{ payload.account_id }}',
        text: 'Short {{ payload.shortfall | money: payload.currency }}',
        html: '<html><body><p>{{ payload.account_id }}</p></body></html>',
      },
    });
    expect(email.status).toBe(200);
    expect(email.json.html).toContain('<p>&lt;b&gt;x&lt;/b&gt;</p>');
    expect(email.json.html).toContain('https://api.test/v1/unsubscribe');
    expect(email.json.body).toContain('Unsubscribe: https://api.test/v1/unsubscribe');

    // A real past event of the tenant: its type and payload, as kept in the in-app inbox.
    const eventId = `evt-${RUN}`;
    await db.query(
      `insert into inbox (notification_id, tenant, user_id, event_id, type, severity, title, body, data) values ($1, $2, 'u1', $3, 'MARGIN_CALL', 'critical', 't', 'b', $4)`,
      [`ntf-${RUN}`, TENANT_A, eventId, JSON.stringify({ payload: { ...SAMPLE, account_id: 'ACC-PAST' } })],
    );
    const past = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'en',
      event_id: eventId,
    });
    expect(past.status).toBe(200);
    expect(past.json.title).toBe('MARGIN CALL on ACC-PAST');
    expect(
      (
        await call(TENANT_B, 'POST', '/v1/templates/preview', {
          template_id: 'MARGIN_CALL',
          channel: 'push',
          locale: 'en',
          event_id: eventId,
        })
      ).status,
    ).toBe(404);

    const missing = await call(TENANT_A, 'POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'push',
      locale: 'en',
      fields: { title: 't', body: 'Due\n{{ payload.nothere }}' },
      payload: SAMPLE,
    });
    expect(missing.status).toBe(422);
    expect(missing.json.errors[0]).toMatchObject({ field: 'body', line: 2 });
  });

  it("test-sends a stored version to the caller's own email through the channel's dispatch topic", async () => {
    const path = '/v1/templates/MARGIN_CALL/email/en';
    const created = await call(TENANT_A, 'POST', `${path}/versions`, { fields: { subject: 'Test {{ payload.account_id }}', text: 'hi' } });
    expect(created.json.active).toBe(false);
    const noAddress = await call(TENANT_A, 'POST', '/v1/templates/test-send', {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      version: created.json.version,
      payload: SAMPLE,
    });
    expect(noAddress.status).toBe(422);
    const me = `ops-${RUN}@example.com`;
    expect((await call(TENANT_A, 'PUT', '/v1/contacts/email', { email: me })).status).toBe(200);
    const unsaved = await call(TENANT_A, 'POST', '/v1/templates/test-send', {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      fields: { subject: 'other', text: 'x' },
      payload: SAMPLE,
    });
    expect(unsaved.status).toBe(422);

    const sent = await call(TENANT_A, 'POST', '/v1/templates/test-send', {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      version: created.json.version,
      payload: SAMPLE,
    });
    expect(sent.status).toBe(202);
    const record = await waitFor(
      'the test dispatch',
      async () => dispatches.records.find((r) => r.value.notification_id === sent.json.notification_id),
      20_000,
    );
    // The address travels sealed with the caller's own key; the email worker opens it.
    expect(record.value.address).toMatch(/^personal\.v1\./);
    expect(await stack.openPersonal(record.value, `${TENANT_A}/operator-1`)).toMatchObject({
      tenant: TENANT_A,
      user_id: 'operator-1',
      recipient: `${TENANT_A}/operator-1`,
      channel: 'email',
      address: me,
      template: 'MARGIN_CALL',
      template_version: created.json.version,
      locale: 'en',
      type: 'MARGIN_CALL',
    });
    expect(JSON.parse(record.value.payload)).toEqual(SAMPLE);
  });

  it('lists the shipped templates and documents every route', async () => {
    const defaults = await call(TENANT_A, 'GET', '/v1/templates/defaults');
    expect(defaults.json.templates).toContainEqual(
      expect.objectContaining({
        template_id: 'MARGIN_CALL',
        channel: 'email',
        locale: 'en',
        fields: expect.objectContaining({ html: expect.stringContaining('<html') }),
      }),
    );
    const doc = (await (await fetch(`${stack.url()}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const [route, method] of [
      ['/v1/templates', 'get'],
      ['/v1/templates/defaults', 'get'],
      ['/v1/templates/{template_id}/{channel}/{locale}', 'get'],
      ['/v1/templates/{template_id}/{channel}/{locale}', 'delete'],
      ['/v1/templates/{template_id}/{channel}/{locale}/versions', 'post'],
      ['/v1/templates/{template_id}/{channel}/{locale}/versions/{version}/activate', 'post'],
      ['/v1/templates/preview', 'post'],
      ['/v1/templates/test-send', 'post'],
    ] as const)
      expect(doc.paths[route]?.[method]).toBeDefined();
  });
});
