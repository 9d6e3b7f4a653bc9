/**
 * The console's template page in headless Chromium against the real API (in-process, its own Kafka
 * namespace): an operator starts from the shipped MARGIN_CALL email, edits the subject and sees the
 * preview follow, sees a template error with its field, line and column, saves and activates two
 * versions, rolls back to the first and deletes the template; the SMS editor shows the segment count
 * the API computes; "Send me a test" of a saved, not yet active version reaches the operator's own
 * inbox through the real channel-inapp worker. What the page claims is checked against the API
 * itself. Screenshot: /tmp/console-templates.png.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { signUserToken } from '../../services/api/src/auth';
import { startApiStack, type ApiStack } from '../../services/api/tests/support/api-stack';
import { stackEnv } from '../../scripts/src/stack-env';
import { startServices, type ServiceProcess } from '../support/services';
import { launchChromium, type Browser } from './browser';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
// An operator of a tenant of this run alone, so no other run's templates show or change.
const TENANT = `templates-${RUN}`;
const SAMPLE = { account_id: `ACC-${RUN}`, shortfall: 1250.5, currency: 'EUR', deadline: '2026-12-04T15:00:00Z' };
const MARGIN_EMAIL = '/v1/templates/MARGIN_CALL/email/en';

interface TemplateDetail {
  active_version: number | null;
  versions: { version: number; active: boolean; fields: Record<string, string> }[];
}
interface TemplateError {
  field: string;
  line: number;
  column: number;
  message: string;
}

describe('console template page', () => {
  let stack: ApiStack;
  let browser: Browser;
  let inapp: ServiceProcess;
  let db: Client;
  let token: string;

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${stack.url()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };

  const openTemplates = async (): Promise<Page> => {
    const page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${stack.url()}/console/?token=${token}#inbox`);
    await page.waitForSelector('body[data-ready="inbox"]');
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.waitForSelector('body[data-ready="templates"]');
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startApiStack();
    token = signUserToken(stack.secret, { tenant: TENANT, userId: 'ops-1', role: 'operator' }, 3600);
    const { databaseUrl } = stackEnv(process.env);
    [inapp] = (await startServices(['channel-inapp'], { KAFKA_NAMESPACE: stack.namespace, DATABASE_URL: databaseUrl })) as [ServiceProcess];
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await browser?.close();
    await inapp?.stop();
    await stack?.stop();
    for (const table of ['inbox', 'templates']) await db?.query(`delete from ${table} where tenant = $1`, [TENANT]);
    await db?.end();
  });

  it('edits, previews, saves, activates, rolls back and deletes a tenant template', async () => {
    const page = await openTemplates();
    const subject = page.getByLabel('Subject', { exact: true });
    const previewTitle = page.locator('#preview-title');

    await page.getByRole('button', { name: 'Start from MARGIN_CALL email en' }).click();
    expect(await page.getByLabel('Template id').inputValue()).toBe('MARGIN_CALL');
    expect(await page.getByLabel('Channel').inputValue()).toBe('email');
    expect(await page.getByLabel('Locale', { exact: true }).inputValue()).toBe('en');
    expect(await subject.inputValue()).toContain('payload.account_id');
    expect(await page.getByLabel('HTML part').inputValue()).toContain('<html');
    await page.getByLabel('Sample payload (JSON)').fill(JSON.stringify(SAMPLE));

    // The live preview follows the edit, rendered by the API.
    await subject.fill('Margin call for {{ payload.account_id }} now');
    await page.locator('#preview-title', { hasText: `Margin call for ${SAMPLE.account_id} now` }).waitFor();
    expect(await page.locator('#preview-body').textContent()).toContain(SAMPLE.account_id);
    const frame = page.locator('#preview-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain(SAMPLE.account_id);
    expect(await page.frameLocator('#preview-html').locator('body').textContent()).toContain(SAMPLE.account_id);

    // An unknown filter: the page shows the API's field, line and column beside the editor, and saving creates nothing.
    const broken = 'Hello\n{{ payload.x | nosuchfilter }}';
    await subject.fill(broken);
    const fieldsNow = Object.fromEntries(
      await Promise.all(
        ['title', 'body', 'html'].map(
          async (f) => [f, await page.locator(`#template-fields textarea[data-field="${f}"]`).inputValue()] as const,
        ),
      ),
    );
    const rejected = await api('POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      fields: fieldsNow,
      type: 'MARGIN_CALL',
      payload: SAMPLE,
    });
    expect(rejected.status).toBe(422);
    const error = (rejected.json as { errors: TemplateError[] }).errors.find((e) => e.field === 'title') as TemplateError;
    expect(error.line).toBe(2);
    const where = `line ${error.line}, column ${error.column}`;
    await page.locator('#template-errors', { hasText: where }).waitFor();
    expect(await page.locator('.field-error[data-field="title"]').textContent()).toContain(where);
    expect(await previewTitle.textContent()).toBe('');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('#template-status', { hasText: 'not saved' }).waitFor();
    expect((await api('GET', MARGIN_EMAIL)).status).toBe(404);

    // Version 1, activated.
    await subject.fill('Margin call v1 on {{ payload.account_id }}');
    await page.locator('#preview-title', { hasText: `Margin call v1 on ${SAMPLE.account_id}` }).waitFor();
    expect(await page.locator('#template-errors').textContent()).toBe('');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('#template-status', { hasText: 'Saved version 1' }).waitFor();
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.locator('#template-versions tr[data-version="1"][data-active="true"]').waitFor();
    expect((await api('GET', MARGIN_EMAIL)).json).toMatchObject({ active_version: 1 });
    await page.locator('#templates-table tr[data-key="MARGIN_CALL|email|en"] td.active', { hasText: 'v1' }).waitFor();

    // Version 2, activated.
    await subject.fill('Margin call v2 on {{ payload.account_id }}');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('#template-status', { hasText: 'Saved version 2' }).waitFor();
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.locator('#template-versions tr[data-version="2"][data-active="true"]').waitFor();
    let detail = (await api('GET', MARGIN_EMAIL)).json as TemplateDetail;
    expect(detail.active_version).toBe(2);
    expect(detail.versions.find((v) => v.version === 2)?.fields.title).toBe('Margin call v2 on {{ payload.account_id }}');

    // Roll back to version 1.
    await page.locator('#template-versions tr[data-version="1"]').getByRole('button', { name: 'Roll back to this version' }).click();
    await page.locator('#template-versions tr[data-version="1"][data-active="true"]').waitFor();
    detail = (await api('GET', MARGIN_EMAIL)).json as TemplateDetail;
    expect(detail.active_version).toBe(1);
    expect(detail.versions.filter((v) => v.active).map((v) => v.version)).toEqual([1]);
    expect(await page.locator('#template-versions tr[data-version="2"][data-active="false"]').count()).toBe(1);
    // The version rolled back to is what the editor now holds, and what the preview shows.
    expect(await subject.inputValue()).toBe('Margin call v1 on {{ payload.account_id }}');
    expect(await page.locator('#tpl-editing').textContent()).toBe('version 1 (active)');
    await page.locator('#preview-title', { hasText: `Margin call v1 on ${SAMPLE.account_id}` }).waitFor();
    await page.frameLocator('#preview-html').locator('body', { hasText: SAMPLE.account_id }).waitFor();
    await page.screenshot({ path: '/tmp/console-templates.png', fullPage: true });

    // A fresh page opens the tenant's template from the list at its active version.
    await page.reload();
    await page.waitForSelector('body[data-ready="templates"]');
    await page.getByRole('button', { name: 'Edit MARGIN_CALL email en' }).click();
    await page.locator('#tpl-editing', { hasText: 'version 1 (active)' }).waitFor();
    expect(await subject.inputValue()).toBe('Margin call v1 on {{ payload.account_id }}');
    const rows = await page.locator('#template-versions tbody tr').all();
    expect(
      await Promise.all(rows.map(async (r) => `${await r.getAttribute('data-version')}:${await r.getAttribute('data-active')}`)),
    ).toEqual(['2:false', '1:true']);

    // Delete: gone from the API and from the list.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('#template-status', { hasText: 'Deleted' }).waitFor();
    expect((await api('GET', MARGIN_EMAIL)).status).toBe(404);
    expect(await page.locator('#templates-table tr[data-key="MARGIN_CALL|email|en"]').count()).toBe(0);
    await page.close();
  });

  it('shows the SMS segment count the API computes', async () => {
    const page = await openTemplates();
    await page.getByRole('button', { name: 'Start from MARGIN_CALL sms en' }).click();
    await page.getByLabel('Sample payload (JSON)').fill(JSON.stringify(SAMPLE));
    const text = `Margin call ${'ő'.repeat(80)} {{ payload.account_id }}`;
    await page.getByLabel('SMS text').fill(text);
    const fields = Object.fromEntries(
      await Promise.all(
        (await page.locator('#template-fields textarea').all()).map(
          async (t) => [await t.getAttribute('data-field'), await t.inputValue()] as const,
        ),
      ),
    );
    const preview = await api('POST', '/v1/templates/preview', {
      template_id: 'MARGIN_CALL',
      channel: 'sms',
      locale: 'en',
      fields,
      type: 'MARGIN_CALL',
      payload: SAMPLE,
    });
    expect(preview.status).toBe(200);
    const { segments, body } = preview.json as { body: string; segments: { count: number; encoding: string } };
    expect(body).toContain(SAMPLE.account_id);
    // Over 70 UCS-2 characters: more than one segment, so the count is not a constant.
    expect(segments.count).toBeGreaterThan(1);
    await page.locator('#preview-segments', { hasText: `${segments.count} segments (${segments.encoding})` }).waitFor();
    expect(await page.locator('#preview-body').textContent()).toBe(body);
    await page.close();
  });

  it('sends the caller a test of a saved version, not yet active, through the real in-app channel', async () => {
    const page = await openTemplates();
    await page.waitForSelector('#live[data-state="live"]');
    await page.getByRole('button', { name: 'Start from MARGIN_CALL all en' }).click();
    await page.getByLabel('Sample payload (JSON)').fill(JSON.stringify(SAMPLE));
    await page.getByLabel('Title', { exact: true }).fill('Test send for {{ payload.account_id }}');
    const title = `Test send for ${SAMPLE.account_id}`;
    await page.locator('#preview-title', { hasText: title }).waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.locator('#template-status', { hasText: 'Saved version 1' }).waitFor();
    expect(((await api('GET', '/v1/templates/MARGIN_CALL/all/en')).json as TemplateDetail).active_version).toBeNull();

    await page.getByLabel('Test on').selectOption('inapp');
    await page.getByRole('button', { name: 'Send me a test' }).click();
    await page.locator('#template-status', { hasText: 'Test of version 1 sent to you on inapp' }).waitFor();
    // channel-inapp renders the pinned version and the console's own live inbox receives it.
    await page.locator('.toast strong', { hasText: title }).waitFor({ timeout: 30_000 });
    const inbox = (await api('GET', '/v1/notifications')).json as { items: { title: string; body: string }[] };
    expect(inbox.items.map((i) => i.title)).toEqual([title]);
    expect(inbox.items[0]?.body).toBe(await page.locator('#preview-body').textContent());
    await page.close();
  });
});
