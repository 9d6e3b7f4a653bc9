/**
 * The email worker as deployed against a local fake SendGrid (through `@sendgrid/mail`): localised
 * text and HTML parts (a default layout for templates without HTML), the unsubscribe link and
 * header, `sent` on acceptance and the terminal status from the signed event webhook (delivered,
 * bounce, dropped); a malformed address is dead-lettered unsent.
 * Also the sandbox default: a voice worker without credentials records to the outbox instead of
 * calling anyone.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DeadLetter, DeliveryStatus } from '@notify/schemas';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { dispatchProducer, makeDispatch, type DispatchProducer } from '../../../tests/support/dispatches';
import { startSendGridFake, type SendGridFake } from '../../../tests/support/fakes/sendgrid-fake';
import { freePort } from '../../../tests/support/ports';
import { startService, stopAll, type ServiceProcess } from '../../../tests/support/services';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `mail${RUN}`;
const NAMESPACE = `t-${RUN}.`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);

describe('channel-email with SendGrid, and the sandbox default', () => {
  let fake: SendGridFake;
  let services: ServiceProcess[] = [];
  let feedbackUrl: string;
  let producer: DispatchProducer;
  let statuses: TopicReader<DeliveryStatus>;
  let db: Client;

  beforeAll(async () => {
    await provision({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
    fake = await startSendGridFake();
    const feedbackPort = await freePort();
    feedbackUrl = `http://127.0.0.1:${feedbackPort}/sendgrid/events`;
    services = await Promise.all([
      startService('channel-email', {
        KAFKA_NAMESPACE: NAMESPACE,
        SENDGRID_API_KEY: fake.apiKey,
        SENDGRID_BASE_URL: fake.url,
        SENDGRID_WEBHOOK_PUBLIC_KEY: fake.webhookPublicKey,
        FEEDBACK_PORT: String(feedbackPort),
        EMAIL_FROM: 'alerts@example.com',
        UNSUBSCRIBE_BASE_URL: 'https://notify.example.com/unsubscribe',
        UNSUBSCRIBE_SECRET: 'k',
      }),
      startService('channel-voice', { KAFKA_NAMESPACE: NAMESPACE, TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' }),
    ]);
    producer = await dispatchProducer(brokers, registryUrl);
    statuses = await readTopic<DeliveryStatus>(brokers, registryUrl, `${NAMESPACE}notifications.delivery-status`);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await statuses?.close();
    await producer?.close();
    await stopAll(services);
    await fake?.close();
    await db?.end();
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
  });

  const of = (id: string) => statuses.records.map((r) => r.value).filter((s) => s.notification_id === id);

  it('sends a localised HTML + text email with List-Unsubscribe; the signed delivered event closes it once', async () => {
    const to = `trader-${RUN}@example.com`;
    const d = makeDispatch('email', {
      tenant: TENANT,
      user_id: 'u1',
      address: to,
      locale: 'fr-CA',
      payload: JSON.stringify({ account_id: '<b>acc789</b>', shortfall: 5000, deadline: 'demain' }),
    });
    await producer.send(NAMESPACE, d);
    await waitFor('sent status', () => of(d.notification_id).find((s) => s.status === 'sent'));
    const mail = fake.mails().find((m) => m.personalizations[0]?.to[0]?.email === to);
    // The rule's template (risk.margin_call), in French: fr-CA falls back to fr.
    expect(mail?.subject).toBe('Appel de marge sur le compte <b>acc789</b>');
    const html = mail?.content.find((c) => c.type === 'text/html')?.value ?? '';
    expect(html).toContain('Appel de marge sur le compte &lt;b&gt;acc789&lt;/b&gt;');
    expect(mail?.content.find((c) => c.type === 'text/plain')?.value).toContain(
      'Se désabonner : https://notify.example.com/unsubscribe?r=',
    );
    expect(mail?.headers?.['List-Unsubscribe']).toMatch(
      /^<https:\/\/notify\.example\.com\/unsubscribe\?r=mail[0-9a-f]+%2Fu1&c=email&s=[\w-]+>$/,
    );
    expect(mail?.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail?.custom_args).toEqual({ notification_id: d.notification_id });

    expect(
      await fake.postEvents(feedbackUrl, [{ email: to, event: 'delivered', notification_id: d.notification_id }], { tamper: true }),
    ).toBe(403);
    expect(
      await fake.postEvents(feedbackUrl, [
        { email: to, event: 'processed', notification_id: d.notification_id },
        { email: to, event: 'delivered', notification_id: d.notification_id },
      ]),
    ).toBe(204);
    expect(
      await fake.postEvents(feedbackUrl, [{ email: to, event: 'bounce', notification_id: d.notification_id, reason: 'late bounce' }]),
    ).toBe(204);
    await waitFor('delivered status', () => of(d.notification_id).find((s) => s.status === 'delivered'));
    await new Promise((r) => setTimeout(r, 500));
    expect(of(d.notification_id).map((s) => s.status)).toEqual(['sent', 'delivered']);
    expect(of(d.notification_id).filter((s) => s.terminal)).toHaveLength(1);
  });

  it('wraps a template without HTML (ORDER_FILLED) in the default layout, with the unsubscribe link in both parts', async () => {
    const to = `orders-${RUN}@example.com`;
    const d = makeDispatch('email', {
      tenant: TENANT,
      user_id: 'u4',
      address: to,
      type: 'ORDER_FILLED',
      severity: 'info',
      severity_label: 'info',
      template: '',
      payload: JSON.stringify({ order_id: 'o-1', quantity: 10, symbol: 'AAPL', price: 187.5 }),
    });
    await producer.send(NAMESPACE, d);
    await waitFor('sent status', () => of(d.notification_id).find((s) => s.status === 'sent'));
    const mail = fake.mails().find((m) => m.personalizations[0]?.to[0]?.email === to);
    const link = mail?.headers?.['List-Unsubscribe']?.slice(1, -1) ?? '';
    expect(link).toMatch(/^https:\/\/notify\.example\.com\/unsubscribe\?r=mail[0-9a-f]+%2Fu4&c=email&s=[\w-]+$/);
    expect(mail?.content.find((c) => c.type === 'text/plain')?.value).toBe(
      `Your order o-1 for 10 AAPL was filled at $187.50.\n\nUnsubscribe: ${link}`,
    );
    const html = mail?.content.find((c) => c.type === 'text/html')?.value ?? '';
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Your order o-1 for 10 AAPL was filled at $187.50.');
    expect(html).toContain(`<a href="${link.replace(/&/g, '&amp;')}">Unsubscribe</a>`);
  });

  it.each([
    ['bounced', 'bounce', 'u2', '550 5.1.1 mailbox does not exist'],
    ['dropped', 'dropped', 'u4', 'Bounced Address'],
  ])('closes a %s email as failed with the reason SendGrid gave', async (_what, event, user, reason) => {
    const to = `${event}-${RUN}@example.com`;
    const d = makeDispatch('email', { tenant: TENANT, user_id: user, address: to });
    await producer.send(NAMESPACE, d);
    await waitFor('sent status', () => of(d.notification_id).find((s) => s.status === 'sent'));
    expect(await fake.postEvents(feedbackUrl, [{ email: to, event, notification_id: d.notification_id, reason }])).toBe(204);
    const end = await waitFor('failed status', () => of(d.notification_id).find((s) => s.terminal));
    expect(end).toMatchObject({ status: 'failed', reason: `sendgrid_${event}`, detail: reason, provider: 'sendgrid' });
    expect(of(d.notification_id).map((s) => s.status)).toEqual(['sent', 'failed']);
  });

  it('dead-letters a malformed address as invalid_address without calling SendGrid', async () => {
    const requestsBefore = fake.requests.length;
    const d = makeDispatch('email', { tenant: TENANT, user_id: 'u5', address: `trader-${RUN}.example.com` });
    await producer.send(NAMESPACE, d);
    const end = await waitFor('terminal status', () => of(d.notification_id).find((s) => s.terminal));
    expect(end).toMatchObject({ status: 'dead_lettered', reason: 'invalid_address' });
    const letters = await readTopic<DeadLetter>(brokers, registryUrl, `${NAMESPACE}notifications.dlq`);
    try {
      const letter = await waitFor('dead letter', () =>
        letters.records.map((r) => r.value).find((l) => l.notification_id === d.notification_id),
      );
      expect(letter).toMatchObject({
        code: 'invalid_address',
        stage: 'channel-email',
        reason: `trader-${RUN}.example.com is not an email address`,
      });
    } finally {
      await letters.close();
    }
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it('records voice calls in the sandbox outbox when no Twilio credentials are configured', async () => {
    const d = makeDispatch('voice', { tenant: TENANT, user_id: 'u3', address: '+15551234567' });
    await producer.send(NAMESPACE, d);
    const end = await waitFor('voice terminal status', () => of(d.notification_id).find((s) => s.terminal));
    expect(end).toMatchObject({ status: 'delivered', provider: 'sandbox', channel: 'voice' });
    const rows = await db.query('select channel, address, subject, body from channel_outbox where notification_id = $1', [
      d.notification_id,
    ]);
    expect(rows.rows.map((r: { address: string }) => r.address)).toEqual([expect.stringMatching(/^sealed\.v1\./)]);
    const opened = rows.rows.map((r: { address: string }) => ({
      ...r,
      address: testContactCipher().open('channel_outbox.address', d.notification_id, r.address),
    }));
    expect(opened).toEqual([
      {
        channel: 'voice',
        address: '+15551234567',
        subject: 'Margin call',
        body: expect.stringMatching(/^This is an automated alert. Your account acc789 has a margin call/),
      },
    ]);
    expect(services[1]?.output.join('')).toMatch(/no Twilio credentials.*using the sandbox provider/);
  });
});
