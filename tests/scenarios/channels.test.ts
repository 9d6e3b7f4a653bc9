/**
 * Product scenarios, one per channel: a user sets up their contact points through the API (the phone
 * verified with the code that arrives by SMS), a producer posts an event over HTTP or Kafka, and the
 * message arrives at the provider's fake server with exactly one terminal status on the
 * delivery-status topic. Every service runs as its own process; nothing produces a stage's input.
 */
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import type { DeliveryStatus } from '@notify/schemas';
import { verify as verifySignature } from '../../services/channel-webhook/src/signature';
import { WEBHOOK_SECRET } from '../support/pipeline';
import { startProduct, verifyPhone, type Product } from '../support/product';
import { httpEvent, inboxByDefault, rule } from '../support/scenario-rules';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `sc${RUN}`;
const ALICE = `alice-${RUN}`;
const BOB = `bob-${RUN}`;
const CAROL = `carol-${RUN}`;
const DAVE = `dave-${RUN}`;
const PHONE = `+1555${String(Date.now()).slice(-7)}`;

const RULES = inboxByDefault(TENANT, [
  rule('fills by email', 'ORDER_FILLED', ['email']),
  rule('price alerts by text', 'PRICE_ALERT', ['sms']),
  rule('margin calls by phone', 'MARGIN_CALL', ['voice'], 'bypass_quiet_hours: true'),
  rule('jobs by push', 'JOB_COMPLETED', ['push']),
  rule('settlements to the tenant webhook', 'TRADE_SETTLED', ['webhook']),
  rule('security alerts in the inbox', 'SECURITY_ALERT', ['inapp']),
  rule('risk breaches to the desk', 'RISK_BREACH', ['slack', 'discord', 'teams', 'pagerduty']),
]);

const event = (type: string, payload: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  httpEvent(type, payload, { severity: 'high', ...over });

/** The one terminal status of each notification of the event on `channel`, after checking there is only one. */
function onlyTerminal(statuses: DeliveryStatus[], channel: string): DeliveryStatus {
  const mine = statuses.filter((s) => s.channel === channel);
  const terminals = mine.filter((s) => s.terminal);
  expect(terminals).toHaveLength(1);
  return terminals[0] as DeliveryStatus;
}

describe('every channel, from an event to the provider', () => {
  let product: Product;
  let alice: string;

  beforeAll(async () => {
    product = await startProduct({
      tenant: TENANT,
      rulesYaml: RULES,
      // A text Twilio never reports on closes after this long (24 h in production).
      env: { 'channel-sms': { FEEDBACK_TIMEOUT_MS: '4000', FEEDBACK_SWEEP_INTERVAL_MS: '500' } },
    });
    product.fakes.twilio.reportStatus('delivered');
    alice = product.userToken(ALICE);
    expect((await product.api(alice, 'PUT', '/v1/contacts/email', { email: `${ALICE}@example.com` })).status).toBe(200);
    // The code travels the SMS channel to Twilio like any text; the user reads it off their phone.
    await verifyPhone(product, ALICE, PHONE);
    expect((await product.api(alice, 'POST', '/v1/contacts/push-subscriptions', product.fakes.push.subscribe())).status).toBe(200);
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('email: SendGrid gets the mail, and its signed event webhook closes it delivered', async () => {
    const e = event(
      'ORDER_FILLED',
      { user_id: ALICE, order_id: 'order456', symbol: 'AAPL', quantity: 100, price: 150.25 },
      { severity: 'medium' },
    );
    expect((await product.postEvent(e)).status).toBe(202);
    const mail = await waitFor('mail at SendGrid', () =>
      product.fakes.sendgrid
        .mails()
        .find((m) => m.custom_args?.notification_id && m.personalizations[0]?.to[0]?.email === `${ALICE}@example.com`),
    );
    const id = mail.custom_args?.notification_id as string;
    await waitFor('sent', () => product.statusesOf(e.event_id).find((s) => s.notification_id === id && s.status === 'sent'));
    expect(
      await product.fakes.sendgrid.postEvents(product.feedbackUrls.sendgrid, [
        { email: `${ALICE}@example.com`, event: 'delivered', notification_id: id },
      ]),
    ).toBe(204);
    const [terminal] = await product.terminals(e.event_id, 1);
    expect(terminal).toMatchObject({ notification_id: id, channel: 'email', status: 'delivered', recipient: `${TENANT}/${ALICE}` });
    expect(
      product
        .statusesOf(e.event_id)
        .filter((s) => s.notification_id === id)
        .map((s) => s.status),
    ).toEqual(['routed', 'queued', 'sent', 'delivered']);
  });

  it('sms: Twilio gets the text to the verified number, and its status callback closes it delivered', async () => {
    const e = event('PRICE_ALERT', { user_id: ALICE, symbol: 'AAPL', price: 190.5 });
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 1);
    expect(onlyTerminal(terminals, 'sms')).toMatchObject({ status: 'delivered', provider: 'twilio' });
    const texts = product.fakes.twilio
      .sent()
      .filter((m) => m.To === PHONE && m.StatusCallback?.includes(terminals[0]?.notification_id ?? '?'));
    expect(texts).toHaveLength(1);
  });

  it('sms without a delivery report: closes once as sent / no_feedback after the timeout, and a late report changes nothing', async () => {
    product.fakes.twilio.reportStatus(null);
    try {
      const e = event('PRICE_ALERT', { user_id: ALICE, symbol: 'MSFT', price: 410.1 });
      expect((await product.postEvent(e)).status).toBe(202);
      const [terminal] = await product.terminals(e.event_id, 1, 30_000);
      expect(terminal).toMatchObject({ channel: 'sms', status: 'sent', reason: 'no_feedback', terminal: true });
      const url = `${product.feedbackUrls.sms}/twilio/status?n=${terminal?.notification_id}`;
      const params = {
        MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
        AccountSid: product.fakes.twilio.accountSid,
        MessageStatus: 'delivered',
      };
      const late = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(product.fakes.twilio.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(late.status).toBe(204);
      await new Promise((r) => setTimeout(r, 1000));
      expect(product.statusesOf(e.event_id).filter((s) => s.terminal)).toHaveLength(1);
    } finally {
      product.fakes.twilio.reportStatus('delivered');
    }
  });

  it('voice: Twilio places the call, and the call status closes it delivered', async () => {
    const e = event('MARGIN_CALL', { user_id: ALICE, account_id: 'acc789', margin_deficit: 5000 }, { severity: 'critical' });
    await product.produceEvent({
      event_id: e.event_id,
      type: e.type,
      producer: 'risk-engine',
      tenant: TENANT,
      occurred_at: Date.now(),
      severity: 'critical',
      payload: JSON.stringify(e.payload),
      dedupe_key: null,
      recipients: [],
      audience: null,
      labels: {},
    });
    const terminals = await product.terminals(e.event_id, 1);
    expect(onlyTerminal(terminals, 'voice')).toMatchObject({ status: 'delivered' });
    const calls = product.fakes.twilio
      .sent()
      .filter((c) => c.To === PHONE && (c.Twiml ?? c.Url) && c.StatusCallback?.includes(terminals[0]?.notification_id ?? '?'));
    expect(calls).toHaveLength(1);
  });

  it('push: the browser push service receives an encrypted message it can decrypt', async () => {
    const before = product.fakes.push.deliveries.length;
    const e = event('JOB_COMPLETED', { user_id: ALICE, job_id: 'job-42', status: 'succeeded' }, { severity: 'info' });
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 1);
    expect(onlyTerminal(terminals, 'push')).toMatchObject({ status: 'delivered' });
    expect(product.fakes.push.deliveries.length).toBe(before + 1);
    expect(JSON.stringify(product.fakes.push.deliveries.at(-1)?.payload)).toContain(terminals[0]?.notification_id);
  });

  it('webhook: the tenant endpoint gets a Standard Webhooks request whose signature verifies', async () => {
    const e = event('TRADE_SETTLED', { user_id: ALICE, trade_id: 't-1' }, { severity: 'low' });
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 1);
    expect(onlyTerminal(terminals, 'webhook')).toMatchObject({ status: 'delivered' });
    const hook = product.fakes.webhook.received.find((r) => r.json.data.event_id === e.event_id);
    expect(hook?.verified).toBe(true);
    expect(hook?.headers['webhook-id']).toBe(terminals[0]?.notification_id);
  });

  it("webhook: a user's own endpoint is signed with a secret of its own, shown once, rotatable without a gap; never the tenant's", async () => {
    const own = product.fakes.userWebhook;
    const dave = product.userToken(DAVE);
    const set = await product.api(dave, 'PUT', '/v1/contacts/chat/webhook', { url: `${own.url}/mine` });
    expect(set.status).toBe(200);
    const first = set.json.webhook_signing_secret as string;
    expect(first).toMatch(/^whsec_/);
    // Shown once: setting the endpoint again, or reading the contacts, does not show it.
    expect(
      (await product.api(dave, 'PUT', '/v1/contacts/chat/webhook', { url: `${own.url}/mine` })).json.webhook_signing_secret,
    ).toBeUndefined();
    expect(JSON.stringify((await product.api(dave, 'GET', '/v1/contacts')).json)).not.toContain(first);

    const signedWith = async (tradeId: string) => {
      const e = event('TRADE_SETTLED', { user_id: DAVE, trade_id: tradeId }, { severity: 'low' });
      expect((await product.postEvent(e)).status).toBe(202);
      expect(onlyTerminal(await product.terminals(e.event_id, 1), 'webhook')).toMatchObject({ status: 'delivered' });
      const request = await waitFor("the request at the user's endpoint", () =>
        own.requests.find((r) => (JSON.parse(r.body) as { data: { event_id: string } }).data.event_id === e.event_id),
      );
      const headers = {
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
      };
      // Only the user's endpoint has it: the tenant's endpoint never sees a user's own notification.
      expect(product.fakes.webhook.received.filter((r) => r.json.data.event_id === e.event_id)).toEqual([]);
      return (secret: string) => verifySignature(secret, headers, request.body);
    };
    const before = await signedWith('t-own-1');
    expect(before(first)).toBe(true);
    expect(before(WEBHOOK_SECRET)).toBe(false);

    const rotated = await product.api(dave, 'POST', '/v1/contacts/chat/webhook/secret');
    expect(rotated.status).toBe(201);
    const second = rotated.json.webhook_signing_secret as string;
    const after = await signedWith('t-own-2');
    // Both sign during the overlap, so a receiver that has not switched yet still verifies.
    expect([after(second), after(first), after(WEBHOOK_SECRET)]).toEqual([true, true, false]);
  });

  it("in-app: the notification is in the user's inbox through the API", async () => {
    const e = event('SECURITY_ALERT', { user_id: ALICE, ip: '203.0.113.9' }, { severity: 'critical' });
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 1);
    expect(onlyTerminal(terminals, 'inapp')).toMatchObject({ status: 'delivered' });
    const inbox = await waitFor('inbox item', async () => {
      const page = await product.api(alice, 'GET', '/v1/notifications');
      return (page.json.items as Array<{ id: string; type: string }>).find((i) => i.id === terminals[0]?.notification_id);
    });
    expect(inbox.type).toBe('SECURITY_ALERT');
  });

  it('slack, discord, teams and pagerduty: the team destination gets an event for three people once, with one terminal each', async () => {
    const e = event('RISK_BREACH', { desk: 'rates', limit: 'VaR', breach: 1.2 }, { severity: 'critical', recipients: [ALICE, BOB, CAROL] });
    const counts = {
      slack: product.fakes.slack.posts().length,
      discord: product.fakes.discord.posts().length,
      teams: product.fakes.teams.accepted.length,
      pagerduty: product.fakes.pagerduty.events().length,
    };
    expect((await product.postEvent(e)).status).toBe(202);
    const terminals = await product.terminals(e.event_id, 4);
    for (const channel of ['slack', 'discord', 'teams', 'pagerduty']) {
      expect(onlyTerminal(terminals, channel)).toMatchObject({ status: 'delivered', recipient: `${TENANT}/#team` });
    }
    await new Promise((r) => setTimeout(r, 1000)); // a second post would have come by now
    expect(product.fakes.slack.posts().length).toBe(counts.slack + 1);
    expect(product.fakes.slack.posts().at(-1)?.path).toContain('trading-desk');
    expect(product.fakes.discord.posts().length).toBe(counts.discord + 1);
    expect(product.fakes.teams.accepted.length).toBe(counts.teams + 1);
    expect(product.fakes.pagerduty.events().length).toBe(counts.pagerduty + 1);
    // Nobody's personal chat destination is set: the three people have no chat notifications at all.
    expect(product.statusesOf(e.event_id).filter((s) => s.recipient !== `${TENANT}/#team` && s.channel !== null)).toEqual([]);
  });
});
