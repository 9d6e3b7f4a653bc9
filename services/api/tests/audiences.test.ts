/**
 * The audience membership API and the adoption of other writers' recipient records, through main()
 * against the real stack: add, remove and list with paging; a streamed import; tenants kept apart;
 * a raw producer's membership surviving a contact change (the regression of issue 9); tombstones.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { AvroCodec, createKafka, type ProducerPort } from '@notify/kafka';
import type { Recipient } from '@notify/schemas';
import { signUserToken } from '../src/auth';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { startApiStack, type ApiStack } from './support/api-stack';
import { readRawTopic } from './support/raw-topic';

jest.setTimeout(180_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `aud-${RUN}`;
const OTHER_TENANT = `aud-other-${RUN}`;
const { brokers, registryUrl, databaseUrl } = stackEnv(process.env);
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

type Json = Record<string, any>;

let stack: ApiStack;
let db: Client;
let codec: AvroCodec;
let producer: ProducerPort;
let rawProducer: Producer;
let recipients: TopicReader<Recipient>;

beforeAll(async () => {
  stack = await startApiStack();
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  codec = await AvroCodec.connect(registryUrl, ['notifications.recipients']);
  producer = createKafka({ clientId: 'audiences-test', brokers, logger: quiet, namespace: stack.namespace }).producer();
  await producer.connect();
  rawProducer = new Kafka({ clientId: 'audiences-test-raw', brokers, logLevel: logLevel.NOTHING }).producer();
  await rawProducer.connect();
  recipients = await readTopic<Recipient>(brokers, registryUrl, stack.topic('notifications.recipients'));
});

afterAll(async () => {
  await recipients?.close();
  await rawProducer?.disconnect();
  await producer?.disconnect();
  await db?.query('delete from user_contacts where tenant = any($1)', [[TENANT, OTHER_TENANT]]);
  await db?.query('delete from devices where tenant = any($1)', [[TENANT, OTHER_TENANT]]);
  await db?.end();
  await stack?.stop();
});

const operator = (tenant = TENANT) => signUserToken(stack.secret, { tenant, userId: 'operator-1', role: 'operator' }, 3600);
const user = (userId: string, tenant = TENANT) => stack.userToken(tenant, userId);
const path = (audience: string, rest = '') => `/v1/audiences/${encodeURIComponent(audience)}${rest}`;

async function call(method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(stack.url() + url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** POSTs an import body as it is produced, chunk by chunk (a chunked upload, never one buffer). */
async function importBody(
  audience: string,
  contentType: string,
  chunks: AsyncIterable<string>,
  tenant = TENANT,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(stack.url() + path(audience, '/members:import'), {
    method: 'POST',
    headers: { authorization: `Bearer ${operator(tenant)}`, 'content-type': contentType },
    body: Readable.from(chunks) as unknown as RequestInit['body'],
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Json };
}

async function* lines(...texts: string[]): AsyncGenerator<string> {
  for (const text of texts) yield `${text}\n`;
}

/** The latest record of a user on notifications.recipients once there are `count` of them. */
async function latestRecord(userId: string, count = 1, tenant = TENANT): Promise<Recipient> {
  const key = `${tenant}/${userId}`;
  const values = await waitFor(
    `${count} record(s) of ${key}`,
    () => {
      const found = recipients.records.filter((r) => r.key === key).map((r) => r.value);
      return found.length >= count ? found : undefined;
    },
    30_000,
  );
  return stack.openPersonal(values[values.length - 1] as Recipient, key);
}

/** What another service writing the compacted topic directly would write: the whole record, no header. */
async function rawRecord(userId: string, overrides: Partial<Recipient> = {}): Promise<void> {
  const record: Recipient = {
    tenant: TENANT,
    user_id: userId,
    email: null,
    email_verified: false,
    phone: null,
    phone_verified: false,
    timezone: 'UTC',
    locale: 'en',
    audiences: [],
    push_subscriptions: [],
    chat: {},
    opted_out: [],
    devices: [],
    updated_at: Date.now(),
    ...overrides,
  };
  await producer.send([
    { topic: 'notifications.recipients', key: `${TENANT}/${userId}`, value: codec.encode('notifications.recipients', record) },
  ]);
}

async function membersCount(audience: string, tenant = TENANT): Promise<number> {
  const { rows } = await db.query<{ n: string }>('select count(*) as n from contact_audiences where tenant = $1 and audience = $2', [
    tenant,
    audience,
  ]);
  return Number(rows[0]?.n);
}

describe('membership API', () => {
  it('adds idempotently, removes, and pages members in user id order, publishing each change', async () => {
    const audience = 'tier:PAGING';
    const ids = ['m-e', 'm-a', 'm-d', 'm-b', 'm-c'];
    for (const id of ids) {
      const added = await call('PUT', path(audience, `/members/${id}`), operator());
      expect(added).toEqual({ status: 200, body: { audience, user_id: id, added: true } });
    }
    expect((await call('PUT', path(audience, '/members/m-a'), operator())).body.added).toBe(false);

    const first = await call('GET', path(audience, '/members?limit=2'), operator());
    expect(first).toEqual({ status: 200, body: { audience, items: [{ user_id: 'm-a' }, { user_id: 'm-b' }], next_cursor: 'm-b' } });
    const second = await call('GET', path(audience, `/members?limit=2&cursor=${first.body.next_cursor}`), operator());
    expect(second.body).toEqual({ audience, items: [{ user_id: 'm-c' }, { user_id: 'm-d' }], next_cursor: 'm-d' });
    const last = await call('GET', path(audience, `/members?limit=2&cursor=${second.body.next_cursor}`), operator());
    expect(last.body).toEqual({ audience, items: [{ user_id: 'm-e' }], next_cursor: null });

    expect((await latestRecord('m-a')).audiences).toEqual([audience]);
    expect(await call('DELETE', path(audience, '/members/m-c'), operator())).toEqual({
      status: 200,
      body: { audience, user_id: 'm-c', removed: true },
    });
    expect((await call('DELETE', path(audience, '/members/m-c'), operator())).body.removed).toBe(false);
    expect((await call('DELETE', path(audience, '/members/never-seen'), operator())).body.removed).toBe(false);
    expect((await latestRecord('m-c', 2)).audiences).toEqual([]);

    const all = await call('GET', path(audience, '/members'), operator());
    expect(all.body.items.map((i: Json) => i.user_id)).toEqual(['m-a', 'm-b', 'm-d', 'm-e']);
    const audiences = await call('GET', '/v1/audiences', operator());
    expect(audiences.body.items).toContainEqual({ audience, members: 4 });
  });

  it("keeps a user's contact points and other memberships in the records it publishes", async () => {
    const id = `keep-${RUN}`;
    expect((await call('PUT', '/v1/contacts/email', user(id), { email: 'keep@example.com' })).status).toBe(200);
    await call('PUT', path('desk:fx', `/members/${id}`), operator());
    await call('PUT', path('tier:TIER_2', `/members/${id}`), operator());
    expect(await latestRecord(id, 3)).toMatchObject({ email: 'keep@example.com', audiences: ['desk:fx', 'tier:TIER_2'] });
    await call('DELETE', path('desk:fx', `/members/${id}`), operator());
    expect(await latestRecord(id, 4)).toMatchObject({ email: 'keep@example.com', audiences: ['tier:TIER_2'] });
    expect((await call('GET', '/v1/contacts', user(id))).body.audiences).toEqual(['tier:TIER_2']);
  });

  it("publishes every user's record again on request, contact points sealed with the user's key", async () => {
    const id = `rp-${randomUUID().slice(0, 8)}`;
    expect((await call('PUT', '/v1/contacts/email', user(id), { email: `${id}@example.com` })).status).toBe(200);
    await latestRecord(id, 1);
    const republished = await call('POST', '/v1/admin/recipients/republish', operator());
    expect(republished.status).toBe(200);
    expect(republished.body).toMatchObject({ tenant: TENANT, republished: expect.any(Number) });
    expect(republished.body.republished as number).toBeGreaterThanOrEqual(1);
    const raw = await waitFor('the record published again', () => {
      const mine = recipients.records.filter((r) => r.key === `${TENANT}/${id}`);
      return mine.length >= 2 ? mine[mine.length - 1]?.value : undefined;
    });
    expect(raw?.email).toMatch(/^personal\.v1\./);
    expect((await latestRecord(id, 2)).email).toBe(`${id}@example.com`);
    expect((await call('POST', `/v1/admin/recipients/republish?tenant=${OTHER_TENANT}`, operator())).status).toBe(403);
  });

  it('lists audiences with member counts, in name order, page by page', async () => {
    const tenant = `aud-list-${RUN}`;
    try {
      for (const [audience, members] of [
        ['region:emea', 2],
        ['region:apac', 1],
        ['region:amer', 3],
      ] as const) {
        for (let i = 0; i < members; i++) await call('PUT', path(audience, `/members/u${i}`), operator(tenant));
      }
      const first = await call('GET', '/v1/audiences?limit=2', operator(tenant));
      expect(first.body).toEqual({
        items: [
          { audience: 'region:amer', members: 3 },
          { audience: 'region:apac', members: 1 },
        ],
        next_cursor: 'region:apac',
      });
      const second = await call('GET', `/v1/audiences?limit=2&cursor=${first.body.next_cursor}`, operator(tenant));
      expect(second.body).toEqual({ items: [{ audience: 'region:emea', members: 2 }], next_cursor: null });
    } finally {
      await db.query('delete from user_contacts where tenant = $1', [tenant]);
    }
  });

  it('refuses names events could never target, slashes in user ids, users and callers without a token', async () => {
    for (const bad of ['TIER_1', 'tier:a,b', `k:${'v'.repeat(199)}`]) {
      const res = await call('PUT', path(bad, '/members/u1'), operator());
      expect({ bad, status: res.status, code: res.body.error?.code }).toEqual({ bad, status: 400, code: 'invalid_request' });
    }
    expect((await call('PUT', path('tier:TIER_1', `/members/${encodeURIComponent('acme/u1')}`), operator())).status).toBe(400);
    expect((await call('GET', path('tier:TIER_1', '/members?limit=0'), operator())).status).toBe(400);
    expect((await call('PUT', path('tier:TIER_1', '/members/u1'), user('u1'))).status).toBe(403);
    expect((await call('GET', '/v1/audiences', null)).status).toBe(401);
    expect(await membersCount('tier:TIER_1')).toBe(0);
  });

  it("keeps tenants apart: another tenant's operator neither sees nor changes these members", async () => {
    const audience = 'tier:TENANT_A';
    await call('PUT', path(audience, '/members/shared-id'), operator());
    await call('PUT', path(audience, '/members/only-a'), operator());

    const listed = await call('GET', path(audience, '/members'), operator(OTHER_TENANT));
    expect(listed.body).toEqual({ audience, items: [], next_cursor: null });
    expect((await call('GET', '/v1/audiences', operator(OTHER_TENANT))).body.items).toEqual([]);
    expect((await call('DELETE', path(audience, '/members/shared-id'), operator(OTHER_TENANT))).body.removed).toBe(false);
    expect((await call('PUT', path(audience, '/members/shared-id'), operator(OTHER_TENANT))).body.added).toBe(true);

    const mine = await call('GET', path(audience, '/members'), operator());
    expect(mine.body.items).toEqual([{ user_id: 'only-a' }, { user_id: 'shared-id' }]);
    expect((await call('GET', path(audience, '/members'), operator(OTHER_TENANT))).body.items).toEqual([{ user_id: 'shared-id' }]);
    expect((await latestRecord('shared-id', 1, OTHER_TENANT)).tenant).toBe(OTHER_TENANT);
  });
});

describe('import', () => {
  it("streams 5,000 ids in batches while the body is still arriving, and publishes each member's record", async () => {
    const audience = 'tier:BULK';
    const id = (n: number) => `bulk-${String(n).padStart(5, '0')}`;
    const firstHalf = Array.from({ length: 2500 }, (_, i) => id(i));
    const secondHalf = Array.from({ length: 2500 }, (_, i) => id(i + 2500));
    await call('PUT', path(audience, `/members/${id(7)}`), operator());
    let waitedForFirstBatch = false;
    async function* body(): AsyncGenerator<string> {
      yield `${firstHalf.join('\n')}\n`;
      // A server that buffered the body before adding anyone would never get here: the rest is held back
      // until the first batch of 1,000 is in the database.
      await waitFor(
        'the first batch added while the body is still open',
        async () => ((await membersCount(audience)) >= 1000 ? true : undefined),
        30_000,
      );
      waitedForFirstBatch = true;
      yield '\r\nnot/valid\n';
      yield `${id(3)}\n`;
      yield `${secondHalf.join('\r\n')}`;
    }
    const res = await importBody(audience, 'text/plain; charset=utf-8', body());
    expect(waitedForFirstBatch).toBe(true);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      audience,
      lines: 5003,
      added: 4999,
      already_members: 2,
      invalid: 1,
      invalid_lines: [{ line: 2502, reason: 'user id must not contain /' }],
    });
    expect(await membersCount(audience)).toBe(5000);
    expect((await call('GET', '/v1/audiences', operator())).body.items).toContainEqual({ audience, members: 5000 });

    const published = await waitFor(
      'a record for every imported member',
      () => {
        const keys = new Set(recipients.records.filter((r) => r.value.audiences.includes(audience)).map((r) => r.key));
        return keys.size >= 5000 ? keys : undefined;
      },
      60_000,
    );
    expect([...firstHalf, ...secondHalf].every((u) => published.has(`${TENANT}/${u}`))).toBe(true);
  });

  it('takes ndjson strings and objects, and reports invalid lines by number', async () => {
    const audience = 'tier:NDJSON';
    const res = await importBody(
      audience,
      'application/x-ndjson',
      lines('"nd-1"', '{"user_id":"nd-2","email":"ignored@example.com"}', '', 'nd-3', '{"id":"nd-4"}', '"nd-1"'),
    );
    expect(res).toEqual({
      status: 200,
      body: {
        audience,
        lines: 6,
        added: 2,
        already_members: 1,
        invalid: 2,
        invalid_lines: [
          { line: 4, reason: 'is not JSON' },
          { line: 5, reason: 'is neither a JSON string nor an object with a string user_id' },
        ],
      },
    });
    expect((await call('GET', path(audience, '/members'), operator())).body.items).toEqual([{ user_id: 'nd-1' }, { user_id: 'nd-2' }]);
    expect((await latestRecord('nd-2')).email).toBeNull();
  });

  it('refuses a body that is not a list of ids', async () => {
    const res = await call('POST', path('tier:X', '/members:import'), operator(), ['u1']);
    expect(res).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });
});

describe('records of other writers', () => {
  it("keeps a raw producer's membership through a contact change (issue 9: PUT /v1/contacts/profile removed it)", async () => {
    const id = `raw-${RUN}`;
    await rawRecord(id, { email: 'raw@example.com', audiences: ['tier:TIER_1_SFO'] });
    const adopted = await waitFor('the record adopted', async () => {
      const contacts = await call('GET', '/v1/contacts', user(id));
      return contacts.body.audiences.length > 0 ? contacts.body : undefined;
    });
    expect(adopted).toMatchObject({ email: 'raw@example.com', audiences: ['tier:TIER_1_SFO'] });

    expect((await call('PUT', '/v1/contacts/profile', user(id), { timezone: 'America/Los_Angeles' })).status).toBe(200);
    expect(await latestRecord(id, 2)).toMatchObject({
      email: 'raw@example.com',
      timezone: 'America/Los_Angeles',
      audiences: ['tier:TIER_1_SFO'],
    });
    expect((await call('GET', path('tier:TIER_1_SFO', '/members'), operator())).body.items).toContainEqual({ user_id: id });
  });

  it("adopts a raw record's devices as the user's device rows, leaving out a platform it does not know", async () => {
    const id = `devices-${RUN}`;
    const token = `fcm-${RUN}-${'x'.repeat(40)}`;
    await rawRecord(id, {
      push_subscriptions: [{ endpoint: `https://push.example.com/raw/${RUN}`, p256dh: 'P', auth: 'A' }],
      devices: [
        { platform: 'android', token, app_id: 'com.example.trading', locale: 'de' },
        { platform: 'huawei', token: 'hms-1', app_id: 'com.example.trading', locale: null },
      ],
    });
    const listed = await waitFor('the devices adopted', async () => {
      const items = (await call('GET', '/v1/devices', user(id))).body.items as Array<Record<string, unknown>>;
      return items.length > 0 ? items : undefined;
    });
    expect(listed.map((d) => [d.platform, d.token ?? d.endpoint, d.locale]).sort()).toEqual([
      ['android', token, 'de'],
      ['web', `https://push.example.com/raw/${RUN}`, null],
    ]);
    // The API's own record says what it kept, so the topic agrees with the rows.
    expect((await latestRecord(id, 2)).devices).toEqual([{ platform: 'android', token, app_id: 'com.example.trading', locale: 'de' }]);
  });

  it('takes the memberships of a raw record for a user with contacts set through the API, and republishes them with those contacts', async () => {
    const id = `mixed-${RUN}`;
    expect((await call('PUT', '/v1/contacts/email', user(id), { email: 'mine@example.com' })).status).toBe(200);
    await latestRecord(id, 1);
    // A writer that knows nothing of the email: its record alone would leave the user without one.
    await rawRecord(id, { audiences: ['tier:TIER_1_SFO'] });
    const republished = await latestRecord(id, 3);
    expect(republished).toMatchObject({ email: 'mine@example.com', audiences: ['tier:TIER_1_SFO'] });

    expect((await call('PUT', '/v1/contacts/profile', user(id), { locale: 'fr' })).status).toBe(200);
    expect(await latestRecord(id, 4)).toMatchObject({ email: 'mine@example.com', locale: 'fr', audiences: ['tier:TIER_1_SFO'] });

    const raw = await readRawTopic(brokers, stack.topic('notifications.recipients'));
    try {
      const mine = await waitFor("the user's four records", () => {
        const found = raw.records.filter((r) => r.key === `${TENANT}/${id}`);
        return found.length >= 4 ? found : undefined;
      });
      expect(mine.map((r) => r.headers['notify-writer'] ?? null)).toEqual(['api', null, 'api', 'api']);
    } finally {
      await raw.close();
    }
  });

  it('forgets a user on a tombstone, unless the row changed after the tombstone was written', async () => {
    const gone = `gone-${RUN}`;
    const kept = `kept-${RUN}`;
    await rawRecord(gone, {
      email: 'gone@example.com',
      audiences: ['tier:TOMBSTONE'],
      devices: [{ platform: 'ios', token: `ab${RUN}`, app_id: 'com.example.trading', locale: null }],
    });
    await call('PUT', path('tier:TOMBSTONE', `/members/${kept}`), operator());
    await waitFor('the record adopted', async () => ((await membersCount('tier:TOMBSTONE')) === 2 ? true : undefined));
    expect((await call('GET', '/v1/devices', user(gone))).body.items).toHaveLength(1);

    const topic = stack.topic('notifications.recipients');
    await rawProducer.send({ topic, messages: [{ key: `${TENANT}/${gone}`, value: null }] });
    // Written (by its timestamp) before the membership above; a record behind it in its partition tells when it was read.
    const { partition } = await waitFor("the kept user's record", () => recipients.records.find((r) => r.key === `${TENANT}/${kept}`));
    const marker = `marker-${RUN}`;
    const markerRecord: Recipient = {
      tenant: TENANT,
      user_id: marker,
      email: null,
      email_verified: false,
      phone: null,
      phone_verified: false,
      timezone: 'UTC',
      locale: 'en',
      audiences: ['tier:MARKER'],
      push_subscriptions: [],
      chat: {},
      opted_out: [],
      devices: [],
      updated_at: Date.now(),
    };
    await rawProducer.send({
      topic,
      messages: [
        { key: `${TENANT}/${kept}`, value: null, timestamp: String(Date.now() - 3_600_000), partition },
        { key: `${TENANT}/${marker}`, value: codec.encode('notifications.recipients', markerRecord), partition },
      ],
    });

    await waitFor('the tombstoned user forgotten', async () =>
      (await call('GET', '/v1/contacts', user(gone))).body.updated_at === null ? true : undefined,
    );
    // Their adopted device rows go with them, not just out of sight: left behind, they would come back
    // with the user's next contact change and keep holding the token.
    const { rows: devicesLeft } = await db.query('select token from devices where tenant = $1 and user_id = $2', [TENANT, gone]);
    expect(devicesLeft).toEqual([]);
    await waitFor('the record after the old tombstone adopted', async () => ((await membersCount('tier:MARKER')) === 1 ? true : undefined));
    expect((await call('GET', path('tier:TOMBSTONE', '/members'), operator())).body.items).toEqual([{ user_id: kept }]);
    expect((await call('GET', '/v1/contacts', user(kept))).body.audiences).toEqual(['tier:TOMBSTONE']);
  });
});
