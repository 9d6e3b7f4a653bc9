/**
 * The web console in headless Chromium against the real API (in-process, its own Kafka namespace),
 * the real channel-inapp worker and the tracker: a user sees the bell count rise and a toast when an
 * in-app notification is dispatched, acknowledges it, and saves preferences; an operator sees delivery
 * analytics from the tracker's tables, inspects and replays a dead letter, and sees consumer lag.
 * Screenshots go to /tmp/console-*.png.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { AvroCodec, createKafka, type OutgoingRecord, type ProducerPort } from '@notify/kafka';
import { deliveryStatus, notificationId, parseSealingKeys, recipientKey, Sealer, type DeadLetter, type Dispatch } from '@notify/schemas';
import { startApiStack, type ApiStack } from '../../services/api/tests/support/api-stack';
import { stackEnv } from '../../scripts/src/stack-env';
import { startServices, type ServiceProcess } from '../support/services';
import { readTopic } from '../support/topic-reader';
import { waitFor } from '../support/wait';
import { launchChromium, type Browser } from './browser';

jest.setTimeout(240_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `console-${RUN}`;
const USER = 'trader';
const { registryUrl, databaseUrl, brokers } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

function dispatch(channel: 'inapp' | 'webhook'): Dispatch {
  const eventId = `evt-${randomUUID()}`;
  const recipient = recipientKey(TENANT, USER);
  const now = Date.now();
  return {
    notification_id: notificationId(eventId, recipient, channel),
    idempotency_key: `idem-${eventId}`,
    event_id: eventId,
    tenant: TENANT,
    recipient,
    user_id: USER,
    channel,
    type: 'MARGIN_CALL',
    severity: 'critical',
    severity_label: 'critical',
    template: 'risk.margin_call',
    priority: 'high',
    locale: 'en',
    address: null,
    payload: JSON.stringify({ account_id: `acc-${RUN}`, shortfall: 5000 }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: now - 250,
    created_at: now,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
  };
}

describe('web console', () => {
  let stack: ApiStack;
  let inapp: ServiceProcess;
  let tracker: ServiceProcess;
  let producer: ProducerPort;
  let codec: AvroCodec;
  let db: Client;
  let browser: Browser;
  const webhookDispatch = dispatch('webhook');

  const send = (records: OutgoingRecord[]) => producer.send(records);
  const count = (page: Page) => page.locator('#unread-count');

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startApiStack({
      env: {
        LAG_GROUPS: JSON.stringify([{ service: 'tracker', group: 'notifications.tracker', topics: ['notifications.delivery-status'] }]),
      },
    });
    const env = { KAFKA_NAMESPACE: stack.namespace, DATABASE_URL: databaseUrl };
    [inapp, tracker] = (await startServices(['channel-inapp', 'tracker'], env)) as [ServiceProcess, ServiceProcess];
    codec = await AvroCodec.connect(registryUrl, [
      'notifications.dispatch.inapp',
      'notifications.dispatch.webhook',
      'notifications.delivery-status',
      'notifications.dlq',
    ]);
    producer = createKafka({ clientId: 'console-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    // A webhook that failed for good: its statuses for analytics, its dead letter for the DLQ view.
    const at = Date.now();
    const base = {
      notification_id: webhookDispatch.notification_id,
      event_id: webhookDispatch.event_id,
      tenant: TENANT,
      recipient: webhookDispatch.recipient,
      channel: 'webhook',
      type: 'MARGIN_CALL',
      occurred_at: at - 900,
    };
    const dead: DeadLetter = {
      notification_id: webhookDispatch.notification_id,
      stage: 'channel-webhook',
      reason: 'endpoint answered 410 Gone',
      code: 'http_410',
      attempts: 3,
      original_topic: 'notifications.dispatch.webhook',
      original_partition: 0,
      original_offset: '7',
      original_key: webhookDispatch.recipient,
      original: codec.encode('notifications.dispatch.webhook', webhookDispatch),
      failed_at: at,
    };
    await send([
      {
        topic: 'notifications.delivery-status',
        key: base.notification_id,
        value: codec.encode(
          'notifications.delivery-status',
          deliveryStatus({ ...base, status: 'queued', stage: 'aggregator', at: at - 800 }),
        ),
      },
      {
        topic: 'notifications.delivery-status',
        key: base.notification_id,
        value: codec.encode(
          'notifications.delivery-status',
          deliveryStatus({ ...base, status: 'dead_lettered', stage: 'channel-webhook', reason: 'http_410', at }),
        ),
      },
      {
        topic: 'notifications.delivery-status',
        key: `${RUN}-sms`,
        value: codec.encode(
          'notifications.delivery-status',
          deliveryStatus({
            ...base,
            notification_id: `${RUN}-sms`,
            channel: 'sms',
            status: 'suppressed',
            stage: 'aggregator',
            reason: 'quiet_hours_deferred',
            at,
          }),
        ),
      },
      { topic: 'notifications.dlq', key: webhookDispatch.recipient, value: codec.encode('notifications.dlq', dead) },
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await Promise.all([inapp?.stop(), tracker?.stop()]);
    await stack?.stop();
    for (const table of ['inbox', 'delivery_status_events', 'delivery_summary', 'user_preferences', 'user_contacts']) {
      await db?.query(`delete from ${table} where tenant = $1`, [TENANT]);
    }
    await db?.query('delete from dlq_entries where kafka_namespace = $1', [stack?.namespace]);
    await db?.end();
  });

  it('shows a live in-app notification on the bell and as a toast, and acknowledges it', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.url()}/console/?token=${stack.userToken(TENANT, USER)}#inbox`);
    await page.waitForSelector('body[data-ready="inbox"]');
    await page.waitForSelector('#live[data-state="live"]');
    expect(await count(page).textContent()).toBe('0');
    expect(page.url()).not.toContain('token=');

    const d = dispatch('inapp');
    await send([{ topic: 'notifications.dispatch.inapp', key: d.recipient, value: codec.encode('notifications.dispatch.inapp', d) }]);
    await page.waitForSelector('#unread-count[data-count="1"]', { timeout: 30_000 });
    const stored = (await db.query('select title from inbox where notification_id = $1', [d.notification_id])).rows[0] as { title: string };
    const toast = page.locator(`.toast[data-id="${d.notification_id}"]`);
    await toast.waitFor();
    expect(await toast.locator('strong').textContent()).toBe(stored.title);
    expect(await toast.getAttribute('data-severity')).toBe('critical');
    const item = page.locator(`#inbox-list li[data-id="${d.notification_id}"]`);
    expect(await item.locator('.title').textContent()).toBe(stored.title);
    await page.screenshot({ path: '/tmp/console-inbox-live.png' });

    await item.locator('button.ack').click();
    await page.waitForSelector('#unread-count[data-count="0"]');
    await item.locator('.acked').waitFor();
    const row = await db.query('select acknowledged_at, read_at from inbox where notification_id = $1', [d.notification_id]);
    expect(row.rows[0].acknowledged_at).not.toBeNull();
    await page.close();
  });

  it('saves channel switches and quiet hours with a time zone on the preferences page', async () => {
    const page = await browser.context.newPage();
    const token = stack.userToken(TENANT, USER);
    await page.goto(`${stack.url()}/console/?token=${token}#prefs`);
    await page.waitForSelector('body[data-ready="prefs"]');
    await page.locator('#prefs-channels input[data-channel="sms"]').uncheck();
    await page.locator('#prefs-types input[data-type="ORDER_FILLED"][data-channel="email"]').uncheck();
    await page.locator('#prefs-severity').selectOption('warning_and_above');
    await page.locator('#quiet-enabled').check();
    await page.locator('#quiet-start').fill('22:30');
    await page.locator('#quiet-end').fill('06:45');
    await page.locator('#quiet-tz').selectOption('Europe/London');
    await page.locator('#prefs-form button[type="submit"]').click();
    await page.locator('#prefs-status', { hasText: 'Saved' }).waitFor();
    await page.screenshot({ path: '/tmp/console-prefs.png', fullPage: true });

    const saved = (await (await fetch(`${stack.url()}/v1/prefs`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      channels: Record<string, boolean>;
    };
    expect(saved).toMatchObject({
      channels: { sms: false },
      types: { ORDER_FILLED: { email: false } },
      severity_filter: 'warning_and_above',
      quiet_hours: { start: '22:30', end: '06:45', timezone: 'Europe/London' },
    });
    expect(saved.channels.inapp).not.toBe(false);

    // Phone verification: the code goes out sealed in an SMS dispatch; open it there as the SMS worker would.
    const sealer = new Sealer(parseSealingKeys(stack.env.SEALING_KEYS as string));
    const sms = await readTopic<Dispatch>(brokers, registryUrl, stack.topic('notifications.dispatch.sms'));
    try {
      await page.locator('#phone-input').fill('+44 7700 900123');
      await page.locator('#phone-save').click();
      await page.locator('#phone-state', { hasText: 'not verified' }).waitFor();
      await page.locator('#phone-start').click();
      await page.locator('#phone-status', { hasText: 'Code sent' }).waitFor();
      const code = await waitFor('the verification SMS', () => {
        const mine = sms.records.find((r) => r.value.tenant === TENANT && r.value.user_id === USER);
        return mine
          ? sealer.open((JSON.parse(mine.value.payload) as { code_sealed: string }).code_sealed, mine.value.recipient)
          : undefined;
      });
      await page.locator('#phone-code').fill(code);
      await page.locator('#phone-confirm').click();
      await page.locator('#phone-status', { hasText: 'Phone verified.' }).waitFor();
      expect(await page.locator('#phone-state').textContent()).toBe('verified');
      expect(await page.locator('#phone-state').getAttribute('class')).toBe('pill ok');
      const contacts = (await (await fetch(`${stack.url()}/v1/contacts`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        phone: string;
        phone_verified: boolean;
      };
      expect(contacts).toMatchObject({ phone: '+447700900123', phone_verified: true });
    } finally {
      await sms.close();
    }
    await page.close();
  });

  it("opens the operator pages for the installation's platform administrator too, labelled as such", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.url()}/console/?token=${stack.platformToken()}#operator`);
    await page.waitForSelector('body[data-ready="operator"]');
    expect(await page.locator('#who').textContent()).toBe('platform-1 @ ops (platform)');
    expect(await page.locator('nav a[data-page="templates"]').isHidden()).toBe(false);
    await page.close();
  });

  it('shows the operator delivery analytics, the dead letters with inspect and replay, and consumer lag', async () => {
    const page = await browser.context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${stack.url()}/console/?token=${stack.operatorToken(TENANT)}#operator`);
    await page.waitForSelector('body[data-ready="operator"]');
    await page.locator('#analytics-tenant').fill(TENANT);
    // The tracker stores asynchronously: refresh until this run's three channels are charted.
    await waitFor(
      "the run's channels in the outcomes chart",
      async () => {
        await page.locator('#analytics-filter button').click();
        await page.waitForTimeout(300);
        const labels = await page.locator('#chart-outcomes text[data-label]').allTextContents();
        return labels.join(',') === 'inapp,sms,webhook' ? labels : undefined;
      },
      30_000,
      500,
    );
    expect(await page.locator('#chart-outcomes rect[data-key="delivered"]').getAttribute('data-value')).toBe('1');
    expect(await page.locator('#chart-outcomes rect[data-key="dead_lettered"]').getAttribute('data-value')).toBe('1');
    expect((await page.locator('#chart-reasons text[data-label]').allTextContents()).sort()).toEqual(['http_410', 'quiet_hours_deferred']);
    // One delivery in the window: one bucket, drawn as a point per percentile.
    expect(await page.locator('#chart-latency circle').count()).toBe(3);
    expect(await page.locator('#chart-latency .legend').textContent()).toBe('p50p95p99');

    const dlqRow = page.locator('#dlq-table tbody tr', { hasText: 'http_410' });
    // The API collects dead letters from the topic asynchronously: reload the view until it is there.
    await waitFor(
      'the dead letter in the DLQ table',
      async () => {
        if ((await dlqRow.count()) === 1) return true;
        await page.reload();
        await page.waitForSelector('body[data-ready="operator"]');
        return undefined;
      },
      30_000,
      500,
    );
    await dlqRow.locator('button.inspect').click();
    await page.locator('#dlq-detail', { hasText: webhookDispatch.notification_id }).waitFor();
    await dlqRow.locator('button.replay').click();
    await page.locator('#dlq-table tbody tr td.num', { hasText: '1' }).waitFor();

    const services = await Promise.all((await page.locator('#lag-table tbody tr').all()).map((r) => r.getAttribute('data-service')));
    expect(services).toEqual(expect.arrayContaining(['channel-inapp', 'tracker', 'api-dlq']));
    await page.locator('#analytics-tenant').fill(TENANT);
    await page.locator('#analytics-filter button').click();
    await page.locator('#chart-outcomes text[data-label="sms"]').waitFor();
    await page.screenshot({ path: '/tmp/console-operator.png', fullPage: true });
    await page.close();
  });
});
