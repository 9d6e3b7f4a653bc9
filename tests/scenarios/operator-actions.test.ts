/**
 * Product scenarios for what operators and recipients do after a send: replaying dead letters (one,
 * and in bulk by filter) until the provider has the message, acknowledging an alert so it does not
 * escalate, the email's one-click unsubscribe link, STOP texted back to the SMS number, and a phone
 * verification whose one-time code only the provider ever sees in clear, and an erasure after which no
 * copy of the user's address on Kafka can be read. Every
 * service runs as its own process; nothing produces a stage's input.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import twilio from 'twilio';
import { stackEnv } from '../../scripts/src/stack-env';
import type { DeliveryStatus } from '@notify/schemas';
import { startProduct, verifyPhone, type Product } from '../support/product';
import { httpEvent as event, inboxByDefault, rule } from '../support/scenario-rules';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `op${RUN}`;
const user = (name: string) => `${name}-${RUN}`;
let phoneSeq = 0;
const phone = () => `+1555${String(Date.now() + (phoneSeq += 1)).slice(-7)}`;

const RULES = inboxByDefault(TENANT, [
  rule('settlements to the tenant webhook', 'TRADE_SETTLED', ['webhook']),
  rule('margin calls escalate to a text', 'MARGIN_CALL', ['inapp'], 'escalation: [{ delay: 4s, channels: [sms] }]'),
  rule('statements by email', 'STATEMENT_READY', ['email']),
  rule('price alerts by text', 'PRICE_ALERT', ['sms']),
]);

describe('operator and recipient actions', () => {
  let product: Product;
  let operator: string;

  beforeAll(async () => {
    // A user's data key is remembered 1 s, not 30, so an erasure reaches the email worker within the
    // test; an email retry waits 5 s, so one can be in flight across an erasure.
    product = await startProduct({
      tenant: TENANT,
      rulesYaml: RULES,
      env: { 'channel-email': { PERSONAL_KEYS_CACHE_MS: '1000', RETRY_DELAYS_MS: '5000' } },
    });
    product.fakes.twilio.reportStatus('delivered');
    operator = product.operatorToken();
  });

  afterAll(async () => {
    await product?.stop();
  });

  /** The webhook notification of an event that the endpoint refused with 410, once it is dead-lettered. */
  async function deadLetteredWebhook(who: string): Promise<{ eventId: string; notificationId: string; entryId: string }> {
    product.fakes.webhook.failNext({ status: 410 });
    const e = event('TRADE_SETTLED', { user_id: user(who), trade_id: `t-${who}` });
    expect((await product.postEvent(e)).status).toBe(202);
    const [terminal] = await product.terminals(e.event_id, 1);
    expect(terminal).toMatchObject({ status: 'dead_lettered', reason: 'http_410' });
    const notificationId = terminal?.notification_id as string;
    const entry = await waitFor('the dead letter in the admin API', async () => {
      const page = await product.api(operator, 'GET', '/v1/admin/dlq?limit=100');
      return (page.json.items as Array<{ id: string; notification_id: string | null }>).find((i) => i.notification_id === notificationId);
    });
    return { eventId: e.event_id, notificationId, entryId: entry.id };
  }

  it('keeps a one-time code readable only at the provider: sealed on the SMS topic, absent from every service log', async () => {
    const who = user('otp');
    const number = phone();
    await verifyPhone(product, who, number);
    const text = product.fakes.twilio.sent().find((m) => m.To === number);
    const code = /\b(\d{6})\b/.exec(text?.Body ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    // Every record of notifications.dispatch.sms, read raw as anyone with topic access could.
    const kafka = new Kafka({ clientId: `otp-${RUN}`, brokers: stackEnv(process.env).brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `otp-reader-${RUN}` });
    const values: Buffer[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: `${product.namespace}notifications.dispatch.sms`, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void (message.value && values.push(message.value)) });
      const ours = await waitFor('the verification dispatch on the SMS topic', () => values.find((v) => v.includes(`${TENANT}/${who}`)));
      expect(ours.toString('latin1')).toContain('code_sealed');
    } finally {
      await consumer.disconnect();
    }
    expect(values.filter((v) => v.toString('latin1').includes(code))).toEqual([]);
    for (const [name, service] of product.services)
      expect({ name, leaked: service.output.some((line) => line.includes(code)) }).toEqual({ name, leaked: false });
  });

  const hooksFor = (eventId: string) => product.fakes.webhook.received.filter((r) => r.verified && r.json.data.event_id === eventId);
  const terminalsOf = (notificationId: string): DeliveryStatus[] =>
    product.statuses.records.map((r) => r.value).filter((s) => s.notification_id === notificationId && s.terminal);

  it('replays one dead letter: the endpoint gets the message and the replay ends with its own terminal status', async () => {
    const { eventId, notificationId, entryId } = await deadLetteredWebhook('replay-one');
    const replay = await product.api(operator, 'POST', `/v1/admin/dlq/${entryId}/replay`);
    expect(replay.status).toBe(200);
    await waitFor("the replay's terminal", () => (terminalsOf(notificationId).length >= 2 ? true : undefined));
    const [first, second] = terminalsOf(notificationId);
    expect(first).toMatchObject({ status: 'dead_lettered', replay: 0 });
    expect(second).toMatchObject({ status: 'delivered', replay: 1 });
    expect(hooksFor(eventId)).toHaveLength(1);

    // Forcing the same replay again re-reports the delivery; the endpoint is not called a second time.
    expect((await product.api(operator, 'POST', `/v1/admin/dlq/${entryId}/replay`)).status).toBe(409);
    expect((await product.api(operator, 'POST', `/v1/admin/dlq/${entryId}/replay?force=true`)).status).toBe(200);
    await waitFor("the forced replay's terminal", () => (terminalsOf(notificationId).length >= 3 ? true : undefined));
    expect(terminalsOf(notificationId)[2]).toMatchObject({ status: 'delivered', replay: 2 });
    expect(hooksFor(eventId)).toHaveLength(1);
  });

  it('replays dead letters in bulk by channel, code and time range', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const a = await deadLetteredWebhook('bulk-a');
    const b = await deadLetteredWebhook('bulk-b');
    const to = new Date(Date.now() + 1000).toISOString();
    const bulk = await product.api(operator, 'POST', '/v1/admin/dlq/replay', { channel: 'webhook', code: 'http_410', from, to });
    expect(bulk.status).toBe(200);
    expect([...bulk.json.replayed].sort()).toEqual([a.entryId, b.entryId].sort());
    for (const letter of [a, b]) {
      await waitFor(`replayed delivery of ${letter.notificationId}`, () =>
        terminalsOf(letter.notificationId).find((s) => s.status === 'delivered' && s.replay === 1),
      );
      expect(hooksFor(letter.eventId)).toHaveLength(1);
    }
  });

  it('an acknowledged alert does not escalate; an unacknowledged one does', async () => {
    const acked = user('acked');
    const ignored = user('ignored');
    const [ackedPhone, ignoredPhone] = [phone(), phone()];
    await verifyPhone(product, acked, ackedPhone);
    await verifyPhone(product, ignored, ignoredPhone);
    const first = event('MARGIN_CALL', { user_id: acked, account_id: 'acc1', margin_deficit: 5000 }, { severity: 'critical' });
    const second = event('MARGIN_CALL', { user_id: ignored, account_id: 'acc2', margin_deficit: 7000 }, { severity: 'critical' });
    expect((await product.postEvent(first)).status).toBe(202);
    expect((await product.postEvent(second)).status).toBe(202);
    const [inapp] = await product.terminals(first.event_id, 1);
    const ack = await product.api(product.userToken(acked), 'POST', `/v1/notifications/${inapp?.notification_id}/ack`);
    expect(ack.status).toBeLessThan(300);

    const text = await waitFor(
      'the escalation text',
      () => product.fakes.twilio.sent().find((m) => m.To === ignoredPhone && !/\b\d{6}\b/.test(m.Body ?? '')),
      30_000,
    );
    expect(text.Body).toBeTruthy();
    expect(product.statusesOf(second.event_id).some((s) => s.status === 'escalated')).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    expect(product.fakes.twilio.sent().filter((m) => m.To === ackedPhone)).toHaveLength(1); // the verification code only
    expect(product.statusesOf(first.event_id).some((s) => s.status === 'escalated')).toBe(false);
  });

  it("the email's one-click unsubscribe link stops the next email", async () => {
    const who = user('unsub');
    const address = `${who}@example.com`;
    expect((await product.api(product.userToken(who), 'PUT', '/v1/contacts/email', { email: address })).status).toBe(200);
    const first = event('STATEMENT_READY', { user_id: who, period: '2026-11' });
    expect((await product.postEvent(first)).status).toBe(202);
    const mail = await waitFor('the first statement', () =>
      product.fakes.sendgrid.mails().find((m) => m.personalizations[0]?.to[0]?.email === address),
    );
    const link = /^<(.+)>$/.exec(mail.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(link).toBeDefined();
    expect(mail.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    // What a mail client does for RFC 8058 one-click.
    const click = await fetch(link as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(click.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 1500)); // the preferences record reaches the aggregator
    const second = event('STATEMENT_READY', { user_id: who, period: '2026-12' });
    expect((await product.postEvent(second)).status).toBe(202);
    expect((await product.terminals(second.event_id, 1))[0]).toMatchObject({
      channel: 'email',
      status: 'suppressed',
      reason: 'preference',
    });
    expect(product.fakes.sendgrid.mails().filter((m) => m.personalizations[0]?.to[0]?.email === address)).toHaveLength(1);
  });

  it('STOP texted back opts the number out of the next text, until the user is erased', async () => {
    const who = user('stopper');
    const number = phone();
    await verifyPhone(product, who, number);
    const inbound = `${product.feedbackUrls.sms}/twilio/inbound`;
    const params = {
      From: number,
      To: '+15005550001',
      Body: 'STOP',
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
      AccountSid: product.fakes.twilio.accountSid,
    };
    const signature = twilio.getExpectedTwilioSignature(product.fakes.twilio.authToken, inbound, params);
    const reply = await fetch(inbound, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    expect(reply.status).toBe(200);
    const alert = event('PRICE_ALERT', { user_id: who, symbol: 'AAPL', price: 151 });
    expect((await product.postEvent(alert)).status).toBe(202);
    expect((await product.terminals(alert.event_id, 1))[0]).toMatchObject({ channel: 'sms', status: 'suppressed', reason: 'opted_out' });
    expect(product.fakes.twilio.sent().filter((m) => m.To === number)).toHaveLength(1); // the verification code only

    // The opt-out names the user's number, not the user: erasing the user removes it too, and says so.
    const erased = await product.api(operator, 'POST', `/v1/admin/users/${TENANT}/${who}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.json.deleted).toMatchObject({ channel_opt_outs: 1, phone_verifications: 1, user_contacts: 1 });
  });

  /** Every record of the run's `topic` from the beginning, key and value bytes, read as anyone with topic access could. */
  async function rawRecords(topic: string, until: (records: Buffer[]) => boolean): Promise<Buffer[]> {
    const kafka = new Kafka({ clientId: `raw-${RUN}`, brokers: stackEnv(process.env).brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `raw-${RUN}-${randomUUID().slice(0, 8)}` });
    const records: Buffer[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: `${product.namespace}${topic}`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void (message.value && records.push(Buffer.concat([message.key ?? Buffer.alloc(0), message.value]))),
      });
      return await waitFor(`the records of ${topic}`, () => (until(records) ? records : undefined));
    } finally {
      await consumer.disconnect();
    }
  }

  it('erases a user for good: their address is sealed on every topic, a retry still in flight is suppressed, and the report says what went', async () => {
    const who = user('erased');
    const address = `${who}@example.com`;
    const recipient = `${TENANT}/${who}`;
    const token = product.userToken(who);
    expect((await product.api(token, 'PUT', '/v1/contacts/email', { email: address })).status).toBe(200);
    // The contacts record reaches the aggregator on a topic of its own: let it get there before the event.
    await rawRecords('notifications.recipients', (all) => all.some((r) => r.includes(recipient)));
    await new Promise((r) => setTimeout(r, 1500));
    const delivered = event('STATEMENT_READY', { user_id: who, statement_id: 's-1' });
    expect((await product.postEvent(delivered)).status).toBe(202);
    // Its outcome first, so a failure says what became of it; then the mail itself.
    const outcome = await waitFor(
      'the first statement sent, or another outcome',
      () => product.statusesOf(delivered.event_id).find((s) => s.channel === 'email' && (s.status === 'sent' || s.terminal)),
      60_000,
    );
    expect(outcome).toMatchObject({ channel: 'email', status: expect.stringMatching(/^(sent|delivered)$/) });
    await waitFor('the first statement at SendGrid', () =>
      product.fakes.sendgrid.mails().find((m) => m.personalizations[0]?.to[0]?.email === address),
    );

    product.fakes.sendgrid.failNext({ status: 400, body: { errors: [{ message: 'The to array is invalid' }] } });
    const refused = event('STATEMENT_READY', { user_id: who, statement_id: 's-2' });
    expect((await product.postEvent(refused)).status).toBe(202);
    expect((await product.terminals(refused.event_id, 1))[0]).toMatchObject({ status: 'dead_lettered', reason: 'http_400' });

    // SendGrid is briefly down for the third: its retry is due 5 s later, after the erasure.
    product.fakes.sendgrid.failNext({ status: 503, body: { errors: [{ message: 'try later' }] } });
    const retried = event('STATEMENT_READY', { user_id: who, statement_id: 's-3' });
    expect((await product.postEvent(retried)).status).toBe(202);
    await waitFor('the retry scheduled', () => product.statusesOf(retried.event_id).find((s) => s.status === 'retrying'));
    const erased = await product.api(operator, 'POST', `/v1/admin/users/${TENANT}/${who}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.json).toMatchObject({
      deleted: { personal_data_keys: 1, user_contacts: 1, dlq_entries: 1 },
      personal_data_key: 'destroyed',
      tombstoned_topics: ['notifications.preferences', 'notifications.recipients'],
    });
    const mailsAtErasure = product.fakes.sendgrid.mails().length;
    const [suppressed] = await product.terminals(retried.event_id, 1, 60_000);
    expect(suppressed).toMatchObject({ status: 'suppressed', reason: 'recipient_erased' });
    expect(
      product.fakes.sendgrid
        .mails()
        .slice(mailsAtErasure)
        .filter((m) => m.personalizations[0]?.to[0]?.email === address),
    ).toEqual([]);

    // Every copy still on Kafka (the contacts, three dispatches, the retry, the dead letter) is the user's, sealed.
    const mine = (records: Buffer[]) => records.filter((r) => r.includes(recipient));
    for (const [topic, count] of [
      ['notifications.recipients', 1],
      ['notifications.dispatch.email', 3],
      ['notifications.retry.email', 1],
      ['notifications.dlq', 1],
    ] as const) {
      const records = mine(await rawRecords(topic, (all) => mine(all).length >= count));
      expect({ topic, clear: records.filter((r) => r.includes(address)).length }).toEqual({ topic, clear: 0 });
      expect({ topic, sealed: records.filter((r) => r.includes('personal.v1.')).length > 0 }).toEqual({ topic, sealed: true });
    }
  });
});
