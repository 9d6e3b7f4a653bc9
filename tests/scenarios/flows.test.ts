/**
 * Product scenarios for what happens between the event and the provider: the batch endpoint, an
 * audience managed through the API and fanned out, a digest that lists what it holds, inhibition,
 * quiet hours (a deferral, and critical alerts that go through anyway), and idempotent publishing.
 * Every service runs as its own process; nothing produces a stage's input.
 */
import { randomUUID } from 'node:crypto';
import { startProduct, type Product } from '../support/product';
import { httpEvent as event, inboxByDefault, rule } from '../support/scenario-rules';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `fl${RUN}`;
const user = (name: string) => `${name}-${RUN}`;

const RULES = inboxByDefault(TENANT, [
  rule('stop-loss digest', 'STOP_LOSS_TRIGGERED', ['email'], 'batching: { window: 3s, max_items: 50 }'),
  rule('account alerts by email', ['PRICE_ALERT', 'ACCOUNT_LOCKED'], ['email']),
  rule('deals to the tier', 'DEAL_SCARCITY', ['inapp']),
]);

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

describe('flows between the event and the provider', () => {
  let product: Product;

  beforeAll(async () => {
    product = await startProduct({ tenant: TENANT, rulesYaml: RULES });
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('batch endpoint: valid events are delivered, invalid ones are answered with their field errors', async () => {
    const a = event('ORDER_FILLED', { user_id: user('batch-a'), order_id: 'o-1' });
    const b = event('ORDER_FILLED', { user_id: user('batch-b'), order_id: 'o-2' });
    const response = await fetch(`${product.ingestUrl}/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${product.apiKey}` },
      body: JSON.stringify({ events: [a, { type: 'ORDER_FILLED', payload: {} }, b] }),
    });
    expect(response.status).toBe(207);
    const answer = (await response.json()) as { accepted: string[]; rejected: Array<{ index: number; fields: Array<{ field: string }> }> };
    expect(answer.accepted).toEqual([a.event_id, b.event_id]);
    expect(answer.rejected).toHaveLength(1);
    expect(answer.rejected[0]?.index).toBe(1);
    expect(answer.rejected[0]?.fields.map((f) => f.field)).toContain('producer');
    for (const [e, who] of [
      [a, 'batch-a'],
      [b, 'batch-b'],
    ] as const) {
      const [terminal] = await product.terminals(e.event_id, 1);
      expect(terminal).toMatchObject({ channel: 'inapp', status: 'delivered', recipient: `${TENANT}/${user(who)}` });
    }
  });

  it('Idempotency-Key: a retried publish answers as the first did and routes the event once', async () => {
    const e = event('ORDER_FILLED', { user_id: user('idem'), order_id: 'o-9' });
    const key = `publish-${randomUUID()}`;
    const first = await product.postEvent(e, { 'idempotency-key': key });
    const again = await product.postEvent(e, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    const other = await product.postEvent({ ...e, payload: { user_id: user('idem'), order_id: 'o-10' } }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    await product.terminals(e.event_id, 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(product.statusesOf(e.event_id).filter((s) => s.status === 'accepted')).toHaveLength(1);
  });

  it('audience: members added through the API each get the event once', async () => {
    const operator = product.operatorToken();
    const audience = encodeURIComponent('tier:TIER_1_SFO');
    const members = [user('m1'), user('m2'), user('m3')];
    for (const m of members)
      expect((await product.api(operator, 'PUT', `/v1/audiences/${audience}/members/${m}`)).status).toBeLessThan(300);
    const listed = await product.api(operator, 'GET', `/v1/audiences/${audience}/members?limit=2`);
    expect(listed.status).toBe(200);
    expect(listed.json.items).toHaveLength(2);
    expect(listed.json.next_cursor).toBeTruthy();
    // The router's index follows the recipients topic; membership written a moment ago may still be on its way.
    await new Promise((r) => setTimeout(r, 2000));
    const e = event('DEAL_SCARCITY', { deal_id: 'd-1', remaining: 3 }, { audience: 'tier:TIER_1_SFO' });
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 3);
    expect(terminals.map((t) => t.recipient).sort()).toEqual(members.map((m) => `${TENANT}/${m}`).sort());
    expect(terminals.every((t) => t.status === 'delivered')).toBe(true);
    // A contact change through the API keeps the membership (it used to publish the record without it).
    const token = product.userToken(members[0] as string);
    expect((await product.api(token, 'PUT', '/v1/contacts/profile', { timezone: 'America/Los_Angeles' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    const next = event('DEAL_SCARCITY', { deal_id: 'd-2', remaining: 1 }, { audience: 'tier:TIER_1_SFO' });
    expect((await product.postEvent(next)).status).toBe(202);
    expect((await product.terminals(next.event_id, 3)).map((t) => t.recipient).sort()).toEqual(members.map((m) => `${TENANT}/${m}`).sort());
  });

  it('digest: five stop-loss alerts become one email that names all five', async () => {
    const who = user('digest');
    const token = product.userToken(who);
    expect((await product.api(token, 'PUT', '/v1/contacts/email', { email: `${who}@example.com` })).status).toBe(200);
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
    const events = symbols.map((symbol, i) =>
      event('STOP_LOSS_TRIGGERED', { user_id: who, symbol, stop_price: 100 + i, quantity: 10 * (i + 1) }),
    );
    for (const e of events) expect((await product.postEvent(e)).status).toBe(202);
    const mail = await waitFor(
      'digest email',
      () => product.fakes.sendgrid.mails().find((m) => m.personalizations[0]?.to[0]?.email === `${who}@example.com`),
      60_000,
    );
    const text = mail.content.map((c) => c.value).join('\n');
    for (const symbol of symbols) expect(text).toContain(symbol);
    expect(product.fakes.sendgrid.mails().filter((m) => m.personalizations[0]?.to[0]?.email === `${who}@example.com`)).toHaveLength(1);
    // Each member reports the digest's outcome: sent, with exactly one terminal once SendGrid confirms.
    const id = mail.custom_args?.notification_id as string;
    expect(
      await product.fakes.sendgrid.postEvents(product.feedbackUrls.sendgrid, [
        { email: `${who}@example.com`, event: 'delivered', notification_id: id },
      ]),
    ).toBe(204);
    for (const e of events) {
      const [terminal] = await product.terminals(e.event_id, 1);
      expect(terminal).toMatchObject({ channel: 'email', status: 'delivered' });
    }
  });

  it('inhibition: a firing critical daily loss silences the warning of the same account, not of another', async () => {
    const who = user('inhibit');
    const critical = event('DAILY_LOSS', { user_id: who, loss: 52_000 }, { severity: 'critical', labels: { account_id: 'acc1' } });
    expect((await product.postEvent(critical)).status).toBe(202);
    expect((await product.terminals(critical.event_id, 1))[0]).toMatchObject({ status: 'delivered' });
    const warning = event('DAILY_LOSS', { user_id: who, loss: 31_000 }, { severity: 'warning', labels: { account_id: 'acc1' } });
    const elsewhere = event('DAILY_LOSS', { user_id: who, loss: 30_500 }, { severity: 'warning', labels: { account_id: 'acc2' } });
    expect((await product.postEvent(warning)).status).toBe(202);
    expect((await product.postEvent(elsewhere)).status).toBe(202);
    expect((await product.terminals(warning.event_id, 1))[0]).toMatchObject({ status: 'suppressed', reason: 'inhibited' });
    expect((await product.terminals(elsewhere.event_id, 1))[0]).toMatchObject({ status: 'delivered' });
  });

  it('quiet hours: an emailed warning waits for the morning, a critical alert does not', async () => {
    const who = user('sleeper');
    const token = product.userToken(who);
    const address = `${who}@example.com`;
    expect((await product.api(token, 'PUT', '/v1/contacts/email', { email: address })).status).toBe(200);
    const now = Date.now();
    const prefs = await product.api(token, 'PUT', '/v1/prefs', {
      quiet_hours: { start: hhmm(now - 3_600_000), end: hhmm(now + 3 * 3_600_000), timezone: 'UTC' },
    });
    expect(prefs.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500)); // the preferences record reaches the aggregator
    const warning = event('PRICE_ALERT', { user_id: who, symbol: 'AAPL', price: 150 }, { severity: 'warning' });
    expect((await product.postEvent(warning)).status).toBe(202);
    const deferred = await waitFor('deferral', () => product.statusesOf(warning.event_id).find((s) => s.status === 'batched'));
    expect(deferred).toMatchObject({ reason: 'quiet_hours_deferred', terminal: false });
    const critical = event('ACCOUNT_LOCKED', { user_id: who }, { severity: 'critical' });
    expect((await product.postEvent(critical)).status).toBe(202);
    // The critical alert is sent at once (SendGrid has it); the warning is still held.
    await waitFor('the critical alert sent', () =>
      product.statusesOf(critical.event_id).find((s) => s.channel === 'email' && s.status === 'sent'),
    );
    const mails = product.fakes.sendgrid.mails().filter((m) => m.personalizations[0]?.to[0]?.email === address);
    expect(mails).toHaveLength(1);
    expect(product.statusesOf(warning.event_id).filter((s) => s.terminal)).toEqual([]);
  });
});
