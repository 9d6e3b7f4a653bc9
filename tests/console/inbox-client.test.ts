/**
 * The browser inbox client (@notify/inbox-client, as the API serves its build) in headless Chromium
 * against the real API (in-process, on a fixed port so it can be restarted) and the real channel-inapp
 * worker: notifications arrive exactly once and in order through an API restart and while WebSockets
 * are blocked; unread count, read, unread and acknowledge round-trip; tokens are refreshed in-band;
 * push subscriptions reach the API and the service worker shows pushed messages; the README's example
 * page works as written.
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import { notificationId, recipientKey, type Dispatch } from '@notify/schemas';
import { signUserToken } from '../../services/api/src/auth';
import { main } from '../../services/api/src/main';
import { startApiStack, type ApiStack } from '../../services/api/tests/support/api-stack';
import { stackEnv } from '../../scripts/src/stack-env';
import { freePort } from '../support/ports';
import { REPO_ROOT } from '../support/repo';
import { startService, type ServiceProcess } from '../support/services';
import { waitFor } from '../support/wait';
import { launchChromium, type Browser } from './browser';
import { call, createClient, openClientPage, recorded } from './inbox-client-page';
import { startUpgradeGate } from './upgrade-gate';

jest.setTimeout(300_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `inbox-client-${RUN}`;
const { registryUrl, databaseUrl, brokers } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dispatch(user: string, title: string): Dispatch {
  const eventId = `evt-${randomUUID()}`;
  const recipient = recipientKey(TENANT, user);
  const now = Date.now();
  return {
    notification_id: notificationId(eventId, recipient, 'inapp'),
    idempotency_key: `idem-${eventId}`,
    event_id: eventId,
    tenant: TENANT,
    recipient,
    user_id: user,
    channel: 'inapp',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    template: 'order.filled',
    priority: 'normal',
    locale: 'en',
    address: null,
    payload: JSON.stringify({ title }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: now,
    created_at: now,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
  };
}

describe('browser inbox client', () => {
  let stack: ApiStack;
  let inapp: ServiceProcess;
  let producer: ProducerPort;
  let codec: AvroCodec;
  let db: Client;
  let browser: Browser;

  /** Dispatches one at a time, in order; returns their notification ids. */
  const send = async (user: string, count: number, label: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const d = dispatch(user, `${label} ${i}`);
      await producer.send([
        { topic: 'notifications.dispatch.inapp', key: d.recipient, value: codec.encode('notifications.dispatch.inapp', d) },
      ]);
      ids.push(d.notification_id);
    }
    return ids;
  };
  const stored = async (user: string) =>
    (
      await db.query<{ seq: string; notification_id: string }>(
        'select seq::text, notification_id from inbox where tenant = $1 and user_id = $2 order by inbox.seq',
        [TENANT, user],
      )
    ).rows.map((r) => ({ seq: Number(r.seq), id: r.notification_id }));
  const received = (page: Page, name: string, count: number) =>
    waitFor(
      `${count} notifications in client ${name}`,
      async () => {
        const r = await recorded(page, name);
        return r.items.length >= count ? r : undefined;
      },
      60_000,
      100,
    );
  /** After the expected items, a pause in which a doubled one would show up. */
  const settled = async (page: Page, name: string, count: number) => {
    await received(page, name, count);
    await sleep(1500);
    return recorded(page, name);
  };

  beforeAll(async () => {
    browser = await launchChromium();
    // A fixed port: the restarted API must be found where the page's client knows it.
    stack = await startApiStack({ env: { HTTP_PORT: String(await freePort()) } });
    inapp = await startService('channel-inapp', { KAFKA_NAMESPACE: stack.namespace, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
    codec = await AvroCodec.connect(registryUrl, ['notifications.dispatch.inapp']);
    producer = createKafka({ clientId: 'inbox-client-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
    await producer.connect();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await browser?.close();
    await producer?.disconnect();
    await inapp?.stop();
    await stack?.stop();
    for (const table of ['inbox', 'user_contacts']) await db?.query(`delete from ${table} where tenant = $1`, [TENANT]);
    await db?.end();
  });

  it('delivers every notification once and in order across an API restart, catching up on what was stored meanwhile', async () => {
    const user = 'restart';
    const page = await openClientPage(browser.context, stack.url());
    await createClient(page, 'a', { token: stack.userToken(TENANT, user) });
    await call(page, 'a', 'connect');
    const before = await send(user, 3, 'before');
    await received(page, 'a', 3);

    await (stack.replicas[0] as { stop(): Promise<void> }).stop();
    const during = await send(user, 4, 'while the API is down');
    await waitFor('the in-app worker storing them', async () => ((await stored(user)).length === 7 ? true : undefined));
    // Reconnect attempts fail meanwhile: the drop, then at least one refused retry.
    await waitFor('a failed reconnect', async () =>
      (await recorded(page, 'a')).statuses.filter((s) => s === 'closed').length >= 2 ? true : undefined,
    );
    expect((await recorded(page, 'a')).items).toHaveLength(3);

    stack.replicas[0] = await main(stack.env);
    await waitFor(
      'the API ready again',
      async () => ((await fetch(`${stack.url()}/health/ready`)).status === 200 ? true : undefined),
      60_000,
      200,
    );
    await received(page, 'a', 7);
    const after = await send(user, 3, 'after');
    const r = await settled(page, 'a', 10);

    const rows = await stored(user);
    expect(r.items.map((i) => i.seq)).toEqual(rows.map((row) => row.seq));
    expect(r.items.map((i) => i.id)).toEqual([...before, ...during, ...after]);
    expect(r.statuses.filter((s) => s === 'open')).toHaveLength(2);
    await page.close();
  });

  it('fills from the REST API while WebSockets cannot be opened, and then goes live without doubles', async () => {
    const user = 'blocked';
    const gate = await startUpgradeGate(stack.url());
    try {
      gate.refuseUpgrades = true;
      const page = await openClientPage(browser.context, gate.url);
      await createClient(page, 'b', { token: stack.userToken(TENANT, user) });
      await page.evaluate(() => void (globalThis as unknown as Record<string, any>).clients.b.client.connect({ after: 0 }));
      const viaRest = await send(user, 3, 'via REST');
      const early = await received(page, 'b', 3);
      expect(early.statuses).not.toContain('open');

      gate.refuseUpgrades = false;
      await waitFor('the socket open', async () => ((await recorded(page, 'b')).statuses.includes('open') ? true : undefined));
      const live = await send(user, 2, 'live');
      const r = await settled(page, 'b', 5);
      expect(r.items.map((i) => i.seq)).toEqual((await stored(user)).map((row) => row.seq));
      expect(r.items.map((i) => i.id)).toEqual([...viaRest, ...live]);
      await page.close();
    } finally {
      await gate.close();
    }
  });

  it('round-trips the unread count, read, unread and acknowledge', async () => {
    const user = 'reader';
    const page = await openClientPage(browser.context, stack.url());
    await createClient(page, 'c', { token: stack.userToken(TENANT, user) });
    await call(page, 'c', 'connect');
    const [first, second] = (await send(user, 2, 'to read')) as [string, string];
    await received(page, 'c', 2);
    const lastCount = async () => (await recorded(page, 'c')).counts.at(-1);
    await waitFor('unread count 2', async () => ((await lastCount()) === 2 ? true : undefined));
    const row = async (id: string) =>
      (await db.query('select read_at, acknowledged_at from inbox where notification_id = $1', [id])).rows[0] as {
        read_at: Date | null;
        acknowledged_at: Date | null;
      };

    const read = await call<{ read_at: string | null }>(page, 'c', 'markRead', first);
    expect(read.read_at).not.toBeNull();
    expect((await row(first)).read_at).not.toBeNull();
    expect(await lastCount()).toBe(1);

    await call(page, 'c', 'markUnread', first);
    expect((await row(first)).read_at).toBeNull();
    expect(await lastCount()).toBe(2);

    const acked = await call<{ id: string; acknowledged_at: string | null; read_at: string | null }>(page, 'c', 'acknowledge', second);
    expect(acked).toMatchObject({ id: second, acknowledged_at: expect.any(String), read_at: expect.any(String) });
    expect((await row(second)).acknowledged_at).not.toBeNull();
    expect(await lastCount()).toBe(1);
    expect(await call(page, 'c', 'unreadCount')).toBe(1);

    const listed = await call<{ items: { id: string; read_at: string | null }[]; nextCursor: string | null }>(page, 'c', 'list', {
      limit: 1,
    });
    expect(listed.items.map((i) => i.id)).toEqual([second]);
    const older = await call<{ items: { id: string; read_at: string | null }[]; nextCursor: string | null }>(page, 'c', 'list', {
      limit: 1,
      cursor: listed.nextCursor,
    });
    expect(older).toEqual({ items: [expect.objectContaining({ id: first, read_at: null })], nextCursor: null });
    await expect(call(page, 'c', 'markRead', 'no-such-notification')).rejects.toThrow('no such notification in your inbox');
    await page.close();
  });

  it('sends a fresh token on the open socket before the old one runs out, and stops on a token that cannot be replaced', async () => {
    const user = 'refresh';
    const claims = { tenant: TENANT, userId: user, role: 'user' as const };
    // The API accepts a token 30 s past its expiry: this one, 5 s more.
    const shortLived = () => signUserToken(stack.secret, claims, 4, { nowSeconds: Math.floor(Date.now() / 1000) - 29 });
    const page = await openClientPage(browser.context, stack.url());
    let issued = 0;
    await page.exposeFunction('issueToken', () => (++issued === 1 ? shortLived() : stack.userToken(TENANT, user)));
    await createClient(page, 'fresh', { tokenFrom: 'issueToken' });
    await call(page, 'fresh', 'connect');
    await sleep(8000);
    const [id] = await send(user, 1, 'after the first token ran out');
    const r = await received(page, 'fresh', 1);
    expect(r.items.map((i) => i.id)).toEqual([id]);
    expect(r.statuses).toEqual(['connecting', 'open']);
    expect(issued).toBeGreaterThanOrEqual(2);

    await createClient(page, 'fixed', { token: shortLived() });
    await call(page, 'fixed', 'connect');
    await waitFor(
      'auth_failed',
      async () => ((await recorded(page, 'fixed')).statuses.at(-1) === 'auth_failed' ? true : undefined),
      20_000,
      200,
    );
    expect((await recorded(page, 'fixed')).statuses).toEqual(['connecting', 'open', 'auth_failed']);
    // The REST API judges expiry in whole seconds: past the next one, it refuses the token too.
    await sleep(1000);
    await expect(call(page, 'fixed', 'unreadCount')).rejects.toThrow('token expired');
    await page.close();
  });

  it("runs the example page of the client's README", async () => {
    const user = 'readme';
    const blocks = [...readFileSync(join(REPO_ROOT, 'clients', 'browser', 'README.md'), 'utf8').matchAll(/```html\n([\s\S]*?)```/g)];
    expect(blocks).toHaveLength(1);
    const [earlier] = (await send(user, 1, 'stored before the page opened')) as [string];
    await waitFor('the first notification stored', async () => ((await stored(user)).length === 1 ? true : undefined));

    const page = await browser.context.newPage();
    let tokens = 0;
    await page.route('**/session/notify-token', (route) => {
      tokens++;
      return route.fulfill({ contentType: 'text/plain', body: stack.userToken(TENANT, user) });
    });
    await page.goto(`${stack.url()}/health/ready`);
    await page.setContent((blocks[0] as RegExpMatchArray)[1] as string);
    await page.locator('#status', { hasText: 'open' }).waitFor();
    expect(await page.locator('#inbox li').count()).toBe(1);
    expect(await page.locator('#inbox li').first().getAttribute('data-id')).toBe(earlier);
    expect(await page.locator('#unread').textContent()).toBe('1');

    const [live] = (await send(user, 1, 'live')) as [string];
    const item = page.locator(`#inbox li[data-id="${live}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await page.locator('#inbox li').first().getAttribute('data-id')).toBe(live);
    const title = (await db.query<{ title: string; body: string }>('select title, body from inbox where notification_id = $1', [live]))
      .rows[0];
    expect(await item.textContent()).toBe(`${title?.title}: ${title?.body} Acknowledge`);
    await page.locator('#unread', { hasText: '2' }).waitFor();

    await item.locator('button').click();
    await page.locator('#unread', { hasText: '1' }).waitFor();
    await waitFor('the button gone', async () => ((await item.locator('button').count()) === 0 ? true : undefined));
    const row = (await db.query('select acknowledged_at from inbox where notification_id = $1', [live])).rows[0] as {
      acknowledged_at: Date | null;
    };
    expect(row.acknowledged_at).not.toBeNull();
    expect(tokens).toBe(1);
    await page.close();
  });

  it('subscribes to Web Push through its service worker, which shows a pushed notification', async () => {
    const user = 'pusher';
    const token = stack.userToken(TENANT, user);
    const origin = stack.url();
    const p256dh = createECDH('prime256v1').generateKeys().toString('base64url');
    const auth = randomBytes(16).toString('base64url');
    const vapid = createECDH('prime256v1').generateKeys().toString('base64url');
    await browser.context.grantPermissions(['notifications'], { origin });
    const page = await openClientPage(browser.context, origin);
    // No push service is reachable from here: the browser's subscribe() is replaced by one that returns
    // what a push service would, checking that it was asked with the platform's VAPID key.
    await page.evaluate(
      ({ p256dh, auth, vapid }) => {
        const w = globalThis as unknown as Record<string, any>;
        const b64 = (bytes: Uint8Array) =>
          w
            .btoa(String.fromCharCode(...bytes))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '');
        let current: unknown = null;
        w.PushManager.prototype.getSubscription = async () => current;
        w.PushManager.prototype.subscribe = async (options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
          if (!options.userVisibleOnly || b64(new Uint8Array(options.applicationServerKey)) !== vapid)
            throw new Error('subscribed without the VAPID key');
          current = {
            endpoint: 'https://push.example.com/send/browser-1',
            options: { applicationServerKey: new Uint8Array(options.applicationServerKey).buffer },
            toJSON: () => ({ endpoint: 'https://push.example.com/send/browser-1', expirationTime: null, keys: { p256dh, auth } }),
            unsubscribe: async () => true,
          };
          return current;
        };
      },
      { p256dh, auth, vapid },
    );
    await createClient(page, 'push', { token });
    const subscription = await call(page, 'push', 'subscribePush', {
      vapidPublicKey: vapid,
      serviceWorkerUrl: '/console/service-worker.js?open=/console/%23inbox',
    });
    expect(subscription).toEqual({ endpoint: 'https://push.example.com/send/browser-1', expirationTime: null, keys: { p256dh, auth } });
    const contacts = (await (await fetch(`${origin}/v1/contacts`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      push_subscriptions: unknown[];
    };
    expect(contacts.push_subscriptions).toEqual([expect.objectContaining({ endpoint: 'https://push.example.com/send/browser-1' })]);

    // A push message as channel-push sends it, delivered to the worker by the browser's DevTools protocol.
    const cdp = await browser.context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: { registrationId: string; scopeURL: string }[] }) =>
      registrations.push(...event.registrations),
    );
    await cdp.send('ServiceWorker.enable');
    const registration = await waitFor('the service worker registration', () =>
      registrations.find((r) => r.scopeURL === `${origin}/console/`),
    );
    const message = {
      title: 'Order filled',
      body: 'AAPL 100 @ 187.20',
      tag: 'n-123',
      data: { notification_id: 'n-123', event_id: 'e-1', type: 'ORDER_FILLED', severity: 'info' },
    };
    const shown = await waitFor(
      'the notification',
      async () => {
        // Delivered again on each poll: a push that reaches the worker while it is still starting can be
        // lost, and a second one with the same tag replaces the first instead of adding to it.
        await cdp.send('ServiceWorker.deliverPushMessage', {
          origin,
          registrationId: registration.registrationId,
          data: JSON.stringify(message),
        });
        await sleep(500);
        const list = await page.evaluate(async () => {
          const w = globalThis as unknown as Record<string, any>;
          const reg = await w.navigator.serviceWorker.getRegistration('/console/');
          return (await reg.getNotifications()).map((n: { title: string; body: string; tag: string; data: unknown }) => ({
            title: n.title,
            body: n.body,
            tag: n.tag,
            data: n.data,
          }));
        });
        return list.length > 0 ? list : undefined;
      },
      30_000,
      100,
    );
    expect(shown).toEqual([
      { title: 'Order filled', body: 'AAPL 100 @ 187.20', tag: 'n-123', data: { ...message.data, url: `${origin}/console/#inbox` } },
    ]);
    await page.close();
  });
});
