/**
 * The preference routes in a Fastify app of their own, against the real Postgres and a Kafka
 * namespace of this test file, with readers on the topics they write.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { createDb, migrateToLatest, PersonalKeys, type ContactCipher, type Db } from '@notify/db';
import { AvroCodec, createKafka } from '@notify/kafka';
import { parseSealingKeys, Sealer } from '@notify/schemas';
import { signUserToken, TokenVerifier } from '../src/auth';
import { installErrorHandlers } from '../src/http/errors';
import { registerPreferenceRoutes, type PreferenceRouteDeps } from '../src/preferences';
import { dropNamespace, provision } from '../../../scripts/src/provision';
import { stackEnv } from '../../../scripts/src/stack-env';
import { readTopic, type TopicReader } from '../../../tests/support/topic-reader';
import { waitFor } from '../../../tests/support/wait';
import { testContactCipher } from '../../../tests/support/test-contact-cipher';
import { TEST_PERSONAL_DATA_ENV } from '../../../tests/support/test-keys';

export const JWT_SECRET = 'preferences-test-jwt-secret';
export const CODE_SECRET = 'preferences-test-code-hash-secret-0123456789';

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/**
 * The app behind a real listener. (app.inject cannot run under jest here: light-my-request 6.8 needs
 * cookie 2, which is ESM-only, and jest's CommonJS runtime cannot require it.)
 */
export interface ServedApp {
  app: FastifyInstance;
  baseUrl: string;
}

export interface Reply {
  statusCode: number;
  headers: Headers;
  /** The decoded JSON body; `any` because every test asserts its exact shape. */
  json(): any;
}

export interface Harness {
  served: ServedApp;
  db: Db;
  codec: AvroCodec;
  tenant: string;
  namespace: string;
  /** The app's clock (epoch ms); tests move it forward. */
  clock: { now: number };
  token(userId: string): string;
  /** What seals one-time codes; the SMS worker holds the same key. */
  sealer: Sealer;
  /** Users' own data keys, as the app uses them: open a published record's contact points with `openAll`. */
  personal: PersonalKeys;
  /** Seals and opens stored contact points with the test keys the app holds. */
  contacts: ContactCipher;
  /** Another app over the same database whose producer was disconnected: every publish fails for real. */
  appWithFailingProducer(): Promise<ServedApp>;
  /** Another app whose first publish reaches Kafka only after `delayMs`, like a slow broker round trip. */
  appWithSlowFirstPublish(delayMs: number): Promise<ServedApp>;
  /** Calls a route as `userId` (no token when null); a string body is sent as is, anything else as JSON. */
  call(userId: string | null, method: string, path: string, body?: unknown, target?: ServedApp): Promise<Reply>;
  reader<T>(topic: string): Promise<TopicReader<T>>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const namespace = `t-prefs-${randomUUID().slice(0, 8)}.`;
  await provision({ ...process.env, KAFKA_NAMESPACE: namespace });
  try {
    return await connectHarness(namespace);
  } catch (error) {
    await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    throw error;
  }
}

async function connectHarness(namespace: string): Promise<Harness> {
  const env = stackEnv(process.env);
  const tenant = `prefs-${randomUUID().slice(0, 8)}`;
  const db = createDb(env.databaseUrl, 4);
  await migrateToLatest(db);
  const kafka = createKafka({ clientId: 'api-preferences-test', brokers: env.brokers, logger: quiet, namespace });
  const producer = kafka.producer();
  await producer.connect();
  const codec = await AvroCodec.connect(env.registryUrl, []);
  const clock = { now: Date.now() };
  const sealer = new Sealer(parseSealingKeys(`test:${randomBytes(32).toString('base64')}`));
  const personal = new PersonalKeys(db, new Sealer(parseSealingKeys(TEST_PERSONAL_DATA_ENV.DATA_KEYS)));
  const contacts = testContactCipher();
  const closers: Array<() => Promise<void>> = [];

  const build = async (send: PreferenceRouteDeps['send']): Promise<ServedApp> => {
    const app = Fastify({ logger: false });
    app.decorateRequest('user', null);
    // The API's own handler answers what the preference routes leave to it, as in the real server.
    installErrorHandlers(app);
    const deps: PreferenceRouteDeps = {
      db,
      contacts,
      send,
      codec,
      tokens: new TokenVerifier({ keys: [{ kid: 'default', secret: JWT_SECRET }] }),
      codeHashSecret: CODE_SECRET,
      sealer,
      personal,
      clock: () => clock.now,
    };
    registerPreferenceRoutes(app, deps);
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
    return { app, baseUrl };
  };

  const token = (userId: string) => signUserToken(JWT_SECRET, { tenant, userId, role: 'user' }, 3600);
  const served = await build((records) => producer.send(records));
  return {
    served,
    db,
    codec,
    tenant,
    namespace,
    clock,
    token,
    sealer,
    contacts,
    personal,
    call: async (userId, method, path, body, target = served) => {
      const headers: Record<string, string> = userId ? { authorization: `Bearer ${token(userId)}` } : {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(target.baseUrl + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { statusCode: response.status, headers: response.headers, json: () => JSON.parse(text) };
    },
    appWithFailingProducer: async () => {
      const broken = kafka.producer();
      await broken.connect();
      await broken.disconnect();
      return build((records) => broken.send(records));
    },
    appWithSlowFirstPublish: async (delayMs) => {
      let first = true;
      return build(async (records) => {
        if (first) {
          first = false;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        await producer.send(records);
      });
    },
    reader: async <T>(topic: string) => {
      const reader = await readTopic<T>(env.brokers, env.registryUrl, namespace + topic);
      closers.push(() => reader.close());
      OPENERS.set(reader, personal);
      return reader;
    },
    close: async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await producer.disconnect();
      await db.destroy();
      await dropNamespace({ ...process.env, KAFKA_NAMESPACE: namespace });
    },
  };
}

export function newUserId(): string {
  return `user-${randomUUID()}`;
}

/** A number in the UK drama range, unique enough that per-number rate limits of parallel runs never meet. */
export function newPhone(): string {
  return `+447700${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** The records of one key, in partition order, once there are at least `count`. */
/** The keys that open the contact points in the records of a harness's readers (keyed `<tenant>/<user_id>`). */
const OPENERS = new WeakMap<object, PersonalKeys>();

/**
 * The first `count` values under `key`, contact points opened as a channel worker opens them (the raw
 * records stay in `reader.records`, sealed).
 */
export async function recordsOf<T>(reader: TopicReader<T>, key: string, count: number): Promise<T[]> {
  const values = await waitFor(
    `${count} record(s) for ${key}`,
    () => {
      const found = reader.records.filter((r) => r.key === key).map((r) => r.value);
      return found.length >= count ? found : undefined;
    },
    30_000,
  );
  const opener = OPENERS.get(reader);
  return opener ? Promise.all(values.map((v) => opener.openAll(v, key))) : values;
}
