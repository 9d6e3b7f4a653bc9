/**
 * The emailed unsubscribe link against the API as deployed (main(), real Postgres and Kafka): the link
 * channel-email signs opens a confirmation page that changes nothing, its one-click POST turns email
 * off in the user's preferences and publishes the full Preferences record like the user's own PUT,
 * and a tampered link changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { unsubscribeUrl, type Preferences } from '@notify/schemas';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';

jest.setTimeout(120_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `unsub-${RUN}`;
const SECRET = `unsubscribe-secret-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);

/** GET /v1/prefs as these tests read it. */
interface PrefsView {
  channels: Record<string, boolean>;
  updated_at: string;
  [field: string]: unknown;
}

interface OpenApiOperation {
  requestBody?: { content: Record<string, unknown> };
  security?: unknown;
}

describe('GET/POST /v1/unsubscribe', () => {
  let stack: ApiStack;
  let db: Client;
  let preferences: TopicReader<Preferences>;
  const user = `user-${randomUUID()}`;
  const key = (userId: string) => `${TENANT}/${userId}`;
  const recordsOf = (userId: string) => preferences.records.filter((r) => r.key === key(userId)).map((r) => r.value);

  /** The link channel-email puts in the user's emails (List-Unsubscribe and footer), with the API as its base. */
  const emailLink = (userId: string): string => unsubscribeUrl(`${stack.url()}/v1/unsubscribe`, SECRET, key(userId), 'email');

  const prefsOf = async (userId: string): Promise<PrefsView> => {
    const res = await fetch(`${stack.url()}/v1/prefs`, { headers: { authorization: `Bearer ${stack.userToken(TENANT, userId)}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as PrefsView;
  };
  const oneClick = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

  beforeAll(async () => {
    stack = await startApiStack({ env: { UNSUBSCRIBE_SECRET: SECRET } });
    preferences = await readTopic<Preferences>(brokers, registryUrl, stack.topic('notifications.preferences'));
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    const saved = {
      channels: { sms: false },
      types: { MARGIN_CALL: { email: true } },
      severity_filter: 'warning_and_above',
      frequency_limits: { ORDER_FILLED: 5 },
      quiet_hours: null,
    };
    const put = await fetch(`${stack.url()}/v1/prefs`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.userToken(TENANT, user)}`, 'content-type': 'application/json' },
      body: JSON.stringify(saved),
    });
    expect(put.status).toBe(200);
    await waitFor('the PUT record', () => (recordsOf(user).length === 1 ? true : undefined), 30_000);
  });

  afterAll(async () => {
    await preferences?.close();
    await db?.query('delete from user_preferences where tenant = $1', [TENANT]);
    await db?.end();
    await stack?.stop();
  });

  it('GET answers a confirmation page whose button posts back, and changes nothing', async () => {
    const before = await prefsOf(user);
    const res = await fetch(emailLink(user));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    expect(page).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(await prefsOf(user)).toEqual(before);
    expect(before.channels).toEqual({ sms: false });
  });

  it('refuses a tampered link with a JSON error and changes nothing', async () => {
    const before = await prefsOf(user);
    const good = new URL(emailLink(user));
    const otherSignature = new URL(good);
    otherSignature.searchParams.set('s', `${good.searchParams.get('s')?.slice(0, -2)}AA`);
    const otherUser = new URL(emailLink(`user-${randomUUID()}`));
    otherUser.searchParams.set('r', key(user));
    for (const url of [otherSignature, otherUser]) {
      const res = await oneClick(url.href);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'invalid_signature', message: 'this unsubscribe link is not valid' } });
      expect((await fetch(url.href)).status).toBe(403);
    }
    expect(await prefsOf(user)).toEqual(before);
  });

  it('POST one-click turns email off, keeps the rest, and publishes the full record (once, for this POST only)', async () => {
    const res = await oneClick(emailLink(user));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unsubscribed: true, channel: 'email' });

    const after = await prefsOf(user);
    expect(after.channels.email).toBe(false);
    expect(after).toMatchObject({
      channels: { sms: false, email: false },
      types: { MARGIN_CALL: { email: true } },
      severity_filter: 'warning_and_above',
      frequency_limits: { ORDER_FILLED: 5 },
    });

    const records = await waitFor('the unsubscribe record', () => (recordsOf(user).length >= 2 ? recordsOf(user) : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The PUT and this POST: the page and the tampered links above published nothing.
    expect(recordsOf(user)).toHaveLength(2);
    const { updated_at: updatedAt, ...document } = after;
    expect(records[1]).toEqual({ tenant: TENANT, user_id: user, ...document, updated_at: Date.parse(updatedAt) });
  });

  it('unsubscribes a user who never saved preferences: the defaults with email off', async () => {
    const fresh = `user-${randomUUID()}`;
    expect((await oneClick(emailLink(fresh))).status).toBe(200);
    const after = await prefsOf(fresh);
    expect(after).toMatchObject({ channels: { email: false }, types: {}, severity_filter: 'all', frequency_limits: {}, quiet_hours: null });
    const [record] = await waitFor('the record', () => (recordsOf(fresh).length > 0 ? recordsOf(fresh) : undefined), 30_000);
    expect(record).toMatchObject({ tenant: TENANT, user_id: fresh, channels: { email: false } });
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${stack.url()}/openapi.json`)).json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
    const path = doc.paths['/v1/unsubscribe'] ?? {};
    expect(Object.keys(path)).toEqual(['get', 'post']);
    expect(path.post?.requestBody?.content).toHaveProperty('application/x-www-form-urlencoded');
    expect(path.get?.security).toBeUndefined();
  });
});
