/**
 * Tenant templates through the running product (issue 16): an operator changes tenant A's
 * MARGIN_CALL email through the API while every service runs, and the next margin call a user of A
 * gets is written with it within seconds (no restart), while tenant B's users keep the shipped text;
 * the preview of a version equals what SendGrid receives on its test send; a template that loops
 * too long or writes megabytes is cut off, its notification fails with the limit as the reason on
 * the delivery-status topic, and the worker goes on to deliver the next one; a French template
 * serves a fr-CA reader, with money and dates written the fr-CA way in their time zone.
 */
import { randomUUID } from 'node:crypto';
import { startProduct, type Product } from '../support/product';
import type { SendGridMail } from '../support/fakes/sendgrid-fake';
import { httpEvent, inboxByDefault, rule } from '../support/scenario-rules';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT_A = `tpa${RUN}`;
const TENANT_B = `tpb${RUN}`;
const ALICE = `alice-${RUN}`;
const BOB = `bob-${RUN}`;
const CLAIRE = `claire-${RUN}`;
const rules = (tenant: string) =>
  inboxByDefault(tenant, [
    rule('margin calls by email', 'MARGIN_CALL', ['email']),
    rule('price alerts by email', 'PRICE_ALERT', ['email']),
    rule('risk breaches to the desk on Slack', 'RISK_BREACH', ['slack']),
  ]);
const margin = (userId: string, account: string) =>
  httpEvent(
    'MARGIN_CALL',
    { user_id: userId, account_id: account, shortfall: 1250.5, currency: 'USD', deadline: '2026-12-04T15:00:00Z' },
    { severity: 'high' },
  );

const to = (mail: SendGridMail) => mail.personalizations[0]?.to[0]?.email;
const part = (mail: SendGridMail, type: string) => mail.content.find((c) => c.type === type)?.value;

describe('tenant templates in the running product', () => {
  let product: Product;
  let operator: string;

  const mailFor = (email: string, account: string, timeoutMs = 30_000) =>
    waitFor(
      `mail to ${email} about ${account}`,
      () =>
        product.fakes.sendgrid
          .mails()
          .find((m) => to(m) === email && [m.subject, ...m.content.map((c) => c.value)].some((text) => text.includes(account))),
      timeoutMs,
    );

  beforeAll(async () => {
    product = await startProduct({
      tenant: TENANT_A,
      rulesYaml: rules(TENANT_A),
      otherTenants: [{ tenant: TENANT_B, rulesYaml: rules(TENANT_B) }],
    });
    operator = product.operatorToken();
    for (const [user, tenant] of [
      [ALICE, TENANT_A],
      [CLAIRE, TENANT_A],
      [BOB, TENANT_B],
    ] as const) {
      expect(
        (await product.api(product.userToken(user, tenant), 'PUT', '/v1/contacts/email', { email: `${user}@example.com` })).status,
      ).toBe(200);
    }
    expect(
      (await product.api(product.userToken(CLAIRE), 'PUT', '/v1/contacts/profile', { locale: 'fr-CA', timezone: 'America/Toronto' }))
        .status,
    ).toBe(200);
    expect((await product.api(operator, 'PUT', '/v1/contacts/email', { email: `ops-${RUN}@example.com` })).status).toBe(200);
  });

  afterAll(async () => {
    await product?.stop();
  });

  it("a change through the API reaches tenant A's next email within seconds, and tenant B's email keeps the shipped text", async () => {
    expect((await product.postEvent(margin(ALICE, 'ACC-A1'))).status).toBe(202);
    expect((await mailFor(`${ALICE}@example.com`, 'ACC-A1', 60_000)).subject).toBe('MARGIN CALL on ACC-A1');

    const changed = await product.api(operator, 'POST', '/v1/templates/MARGIN_CALL/email/en/versions', {
      fields: {
        subject: 'Action needed: {{ payload.account_id }} is short {{ payload.shortfall | money: payload.currency }}',
        text: 'Deposit by {{ payload.deadline | date }}.',
      },
      activate: true,
    });
    expect(changed.status).toBe(201);
    const changedAt = Date.now();
    expect((await product.postEvent(margin(ALICE, 'ACC-A2'))).status).toBe(202);
    const mail = await mailFor(`${ALICE}@example.com`, 'ACC-A2');
    // Seconds, not the 30 s safety re-read: the workers heard NOTIFY templates_changed.
    expect(Date.now() - changedAt).toBeLessThan(15_000);
    expect(mail.subject).toBe('Action needed: ACC-A2 is short $1,250.50');
    expect(part(mail, 'text/plain')).toContain('Deposit by Dec 4, 2026.');

    expect((await product.postEventAs(TENANT_B, margin(BOB, 'ACC-B1'))).status).toBe(202);
    expect((await mailFor(`${BOB}@example.com`, 'ACC-B1')).subject).toBe('MARGIN CALL on ACC-B1');
  });

  it('a test send of a version that is not active delivers exactly its preview', async () => {
    const fields = {
      subject: 'Test: {{ payload.account_id }} short {{ payload.shortfall | money: payload.currency }}',
      text: 'Hello {{ user_id }}, deposit before {{ payload.deadline | datetime }}.',
      html: '<html><body><h1>{{ payload.account_id }}</h1><p>{{ payload.note }}</p></body></html>',
    };
    const created = await product.api(operator, 'POST', '/v1/templates/MARGIN_CALL/email/en/versions', { fields });
    expect(created).toMatchObject({ status: 201, json: { active: false } });
    const payload = {
      account_id: `ACC-T${RUN}`,
      shortfall: 99.5,
      currency: 'EUR',
      deadline: '2026-12-05T09:30:00Z',
      note: '<script>x</script>',
    };
    const request = {
      template_id: 'MARGIN_CALL',
      channel: 'email',
      locale: 'en',
      version: created.json.version,
      type: 'MARGIN_CALL',
      payload,
    };
    const preview = await product.api(operator, 'POST', '/v1/templates/preview', request);
    expect(preview.status).toBe(200);
    expect(preview.json.html).toContain('&lt;script&gt;');

    const sent = await product.api(operator, 'POST', '/v1/templates/test-send', request);
    expect(sent.status).toBe(202);
    const mail = await waitFor(
      'the test mail',
      () => product.fakes.sendgrid.mails().find((m) => m.custom_args?.notification_id === sent.json.notification_id),
      30_000,
    );
    expect(to(mail)).toBe(`ops-${RUN}@example.com`);
    expect(mail.subject).toBe(preview.json.title);
    expect(part(mail, 'text/plain')).toBe(preview.json.body);
    expect(part(mail, 'text/html')).toBe(preview.json.html);
    // The active version is still the one the first test activated.
    expect((await product.api(operator, 'GET', '/v1/templates/MARGIN_CALL/email/en')).json.active_version).toBe(1);
  });

  it('a template that loops too long or writes megabytes fails its notification with the limit, and the next one is delivered', async () => {
    const cases = [
      { text: '{% for i in (1..1000000000) %}{{ i }}{% endfor %}', limit: /iterations/ },
      // 2,000 characters a turn, so the output cap is reached in a few dozen turns, long before the time limit.
      { text: `{% for i in (1..150000) %}${'0123456789'.repeat(200)}{% endfor %}`, limit: /characters/ },
    ];
    for (const [n, c] of cases.entries()) {
      const bad = await product.api(operator, 'POST', '/v1/templates/PRICE_ALERT/email/en/versions', {
        fields: { subject: 'Price', text: c.text },
        activate: true,
      });
      expect(bad.status).toBe(201);
      const e = httpEvent('PRICE_ALERT', { user_id: ALICE, symbol: `SYM${n}`, price: 1 });
      expect((await product.postEvent(e)).status).toBe(202);
      const terminal = await waitFor(
        "the email's terminal status",
        () => product.statusesOf(e.event_id).find((s) => s.channel === 'email' && s.terminal),
        60_000,
      );
      expect(terminal).toMatchObject({ channel: 'email', status: 'dead_lettered', reason: 'template_limit' });
      expect(terminal?.detail).toMatch(c.limit);
      // The worker goes on: the next margin call is delivered.
      const account = `ACC-N${n}`;
      expect((await product.postEvent(margin(ALICE, account))).status).toBe(202);
      await mailFor(`${ALICE}@example.com`, account);
    }
    expect((await product.api(operator, 'DELETE', '/v1/templates/PRICE_ALERT/email/en')).status).toBe(204);
  });

  it('a French template serves a fr-CA reader, with money and dates in fr-CA and her time zone', async () => {
    const fr = await product.api(operator, 'POST', '/v1/templates/MARGIN_CALL/email/fr/versions', {
      fields: {
        subject: 'Appel de marge {{ payload.account_id }} : {{ payload.shortfall | money: payload.currency }}',
        text: 'Échéance : {{ payload.deadline | datetime }}',
      },
      activate: true,
    });
    expect(fr.status).toBe(201);
    expect((await product.postEvent(margin(CLAIRE, 'ACC-FR1'))).status).toBe(202);
    const mail = await mailFor(`${CLAIRE}@example.com`, 'ACC-FR1');
    const money = new Intl.NumberFormat('fr-CA', { style: 'currency', currency: 'USD' }).format(1250.5);
    expect(mail.subject).toBe(`Appel de marge ACC-FR1 : ${money}`);
    expect(money.replace(/\s/g, ' ')).toBe('1 250,50 $ US');
    const when = new Intl.DateTimeFormat('fr-CA', {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: 'America/Toronto',
    }).format(Date.parse('2026-12-04T15:00:00Z'));
    expect(part(mail, 'text/plain')).toContain(`Échéance : ${when}`);
    expect(when).toContain('10 h 00');
  });

  it("a Slack template's own blocks reach Slack, every value escaped into its JSON string; the preview shows the same blocks", async () => {
    const fields = {
      title: 'Risk breach on {{ payload.desk }}',
      body: 'Limit {{ payload.limit }} breached',
      blocks:
        '[{"type":"section","text":{"type":"mrkdwn","text":"*{{ payload.desk }}* breached {{ payload.limit }} at {{ payload.breach | number }}"}}]',
    };
    const saved = await product.api(operator, 'POST', '/v1/templates/RISK_BREACH/slack/en/versions', { fields, activate: true });
    expect(saved.status).toBe(201);
    const payload = { desk: 'rates "EU"', limit: 'VaR', breach: 1.25 };
    const preview = await product.api(operator, 'POST', '/v1/templates/preview', {
      template_id: 'RISK_BREACH',
      channel: 'slack',
      locale: 'en',
      type: 'RISK_BREACH',
      payload,
    });
    expect(preview.status).toBe(200);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*rates "EU"* breached VaR at 1.25' } }];
    expect(preview.json.layout).toEqual(blocks);

    // Workers hear of the change through NOTIFY; the first event after it may still meet the shipped text.
    const post = await waitFor(
      "a Slack post with the template's blocks",
      async () => {
        const e = httpEvent('RISK_BREACH', payload, { severity: 'critical', recipients: [ALICE] });
        expect((await product.postEvent(e)).status).toBe(202);
        await product.terminals(e.event_id, 1);
        return product.fakes.slack.posts().find((p) => JSON.stringify(p.json.blocks) === JSON.stringify(blocks));
      },
      60_000,
      1_000,
    );
    expect(post.json).toMatchObject({ text: 'Risk breach on rates "EU": Limit VaR breached', blocks });
  });
});
