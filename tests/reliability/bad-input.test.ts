/**
 * Bad input, proven with generated inputs (fast-check) rather than a hand-picked few:
 * - every route of the API's /openapi.json gets random path values, query strings, headers and
 *   bodies (JSON of any shape, text that is not JSON, wrong content types) with a valid token, and
 *   must answer a 4xx with a JSON reason or a success, never a 5xx;
 * - ingest's HTTP endpoints get the same for their bodies and headers;
 * - ingest's Kafka input gets random bytes, including bytes that look like the registry's wire
 *   format (magic byte, a schema id, a random body): each becomes a record on the rejected topic
 *   with a reason, and a valid event sent after them is still accepted (no stuck partition).
 * How many inputs were tried is printed, and recorded in docs/RELIABILITY.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { signUserToken } from '../../services/api/src/auth';
import { startApiStack, type ApiStack } from '../../services/api/tests/support/api-stack';
import type { AcceptedEvent, RejectedEvent } from '@notify/schemas';
import { dropNamespace, provision } from '../../scripts/src/provision';
import { stackEnv } from '../../scripts/src/stack-env';
import { freePort } from '../support/ports';
import { startService, type ServiceProcess } from '../support/services';
import { readTopic, type TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';

jest.setTimeout(600_000);

const RUN = randomUUID().slice(0, 8);
const TENANT = `fuzz-${RUN}`;
/** Generated requests per route and token; the seed is printed so a failure can be replayed. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? 25);
const RANDOM_RECORDS = Number(process.env.FUZZ_RANDOM_RECORDS ?? 300);

interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query' }>;
  requestBody?: unknown;
}

/** Text that breaks naive code: empty, huge, control characters, unicode, path tricks, numbers as text. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../..',
    '%00',
    '\u0000',
    '\ud800',
    'null',
    'true',
    '-1',
    '1e309',
    'NaN',
    '999999999999999999999',
    '{}',
    '[]',
    '<script>',
    "'; drop table inbox; --",
    'a/b',
    'x'.repeat(5000),
  ),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  anyJson.map((v) => ({ text: JSON.stringify(v), type: 'application/json' })),
  fc
    .dictionary(nastyText, fc.oneof(nastyText, anyJson), { maxKeys: 8 })
    .map((v) => ({ text: JSON.stringify(v), type: 'application/json' })),
  nastyText.map((t) => ({ text: t, type: 'application/json' })),
  fc
    .tuple(
      nastyText,
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/octet-stream',
        'application/x-ndjson',
        'multipart/form-data',
      ),
    )
    .map(([text, type]) => ({ text, type })),
  fc.constant(null),
);
const headers = fc.dictionary(
  fc.constantFrom(
    'accept',
    'accept-language',
    'idempotency-key',
    'x-request-id',
    'traceparent',
    'if-none-match',
    'x-forwarded-for',
    'content-encoding',
  ),
  nastyText.map((t) => t.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)),
  { maxKeys: 4 },
);

/** A lone surrogate cannot be put in a URL at all; the client would fail before the server sees it. */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

interface Finding {
  route: string;
  status: number;
  answer: string;
}

/** A 5xx, or a 4xx without the `{ error: { code, message } }` reason every error carries. */
function badAnswer(status: number, text: string): boolean {
  if (status >= 500) return true;
  if (status < 400) return false;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string';
  } catch {
    return true;
  }
}

describe('bad input over every HTTP route and the Kafka decoders', () => {
  const { brokers, registryUrl } = stackEnv(process.env);
  let api: ApiStack;
  const tried = { api: 0, ingest: 0, records: 0 };

  beforeAll(async () => {
    api = await startApiStack({ env: { UNSUBSCRIBE_SECRET: randomBytes(32).toString('base64url') } });
  });
  afterAll(async () => {
    await api?.stop();
    console.log(`bad-input: ${tried.api} API requests, ${tried.ingest} ingest requests, ${tried.records} Kafka records`);
  });

  it('answers every generated request to every API route with a success or a 4xx with a reason, never a 5xx', async () => {
    const doc = (await (await fetch(`${api.url()}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const tokens = [api.userToken(TENANT, 'u1'), signUserToken(api.secret, { tenant: TENANT, userId: 'op', role: 'operator' }, 3600)];
    const findings: Finding[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (path === '/v1/ws') continue; // an upgrade, driven by the WebSocket tests
        const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const input = fc.record({
          params: fc.array(nastyText, { minLength: 4, maxLength: 4 }),
          query: fc.dictionary(fc.oneof(fc.constantFrom(...queryNames, 'tenant', 'limit', 'cursor'), nastyText), nastyText, { maxKeys: 4 }),
          body,
          headers,
          token: fc.constantFrom(...tokens),
        });
        await fc.assert(
          fc.asyncProperty(input, async ({ params, query, body: b, headers: h, token }) => {
            let i = 0;
            const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(wellFormed(params[i++] || 'x')));
            const qs = new URLSearchParams(query).toString();
            const res = await fetch(`${api.url()}${url}${qs ? `?${qs}` : ''}`, {
              method: method.toUpperCase(),
              headers: { ...h, authorization: `Bearer ${token}`, ...(b ? { 'content-type': b.type } : {}) },
              ...(b && method !== 'get' ? { body: b.text } : {}),
            });
            const text = await res.text();
            tried.api += 1;
            if (badAnswer(res.status, text))
              findings.push({ route: `${method.toUpperCase()} ${path}`, status: res.status, answer: text.slice(0, 200) });
            return true;
          }),
          { numRuns: RUNS_PER_ROUTE },
        );
      }
    }
    expect(findings).toEqual([]);
    expect((await fetch(`${api.url()}/health/ready`)).status).toBe(200);
  });

  describe('ingest', () => {
    const NAMESPACE = `t-fuzz-${RUN}.`;
    const API_KEY = `fuzz-key-${RUN}`;
    let ingest: ServiceProcess;
    let url: string;
    let rejected: TopicReader<RejectedEvent>;
    let accepted: TopicReader<AcceptedEvent>;

    beforeAll(async () => {
      const env = { KAFKA_NAMESPACE: NAMESPACE, EVENT_PARTITIONS: '2', USER_PARTITIONS: '2', SMALL_PARTITIONS: '1' };
      await provision({ ...process.env, ...env });
      rejected = await readTopic<RejectedEvent>(brokers, registryUrl, `${NAMESPACE}notifications.events.rejected`);
      accepted = await readTopic<AcceptedEvent>(brokers, registryUrl, `${NAMESPACE}notifications.accepted`);
      const port = await freePort();
      ingest = await startService('ingest', {
        ...env,
        HTTP_PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        INGEST_API_KEYS: `${TENANT}:${API_KEY}`,
        LOG_LEVEL: 'warn',
      });
      url = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
      await ingest?.stop();
      await rejected?.close();
      await accepted?.close();
      await dropNamespace({ ...process.env, KAFKA_NAMESPACE: NAMESPACE });
    });

    it('answers every generated event and batch with 202/207 or a 4xx with a reason, never a 5xx', async () => {
      const findings: Finding[] = [];
      const eventLike = fc.record(
        {
          type: fc.oneof(nastyText, fc.constant('ORDER_FILLED')),
          producer: fc.oneof(nastyText, anyJson),
          severity: fc.oneof(nastyText, fc.constantFrom('low', 'critical')),
          payload: fc.oneof(anyJson, fc.dictionary(nastyText, anyJson)),
          recipients: fc.oneof(anyJson, fc.array(nastyText)),
          dedupe_key: fc.oneof(nastyText, anyJson),
          occurred_at: fc.oneof(nastyText, fc.integer(), fc.double()),
          tenant: fc.oneof(nastyText, fc.constant(TENANT)),
          audience: fc.oneof(nastyText, anyJson),
        },
        { requiredKeys: [] },
      );
      const request = fc.record({
        path: fc.constantFrom('/v1/events', '/v1/events/batch'),
        body: fc.oneof(
          body,
          eventLike.map((e) => ({ text: JSON.stringify(e), type: 'application/json' })),
          fc.array(eventLike, { maxLength: 5 }).map((e) => ({ text: JSON.stringify({ events: e }), type: 'application/json' })),
        ),
        headers,
        key: fc.constantFrom(API_KEY, API_KEY, 'wrong-key', ''),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const res = await fetch(`${url}${r.path}`, {
            method: 'POST',
            headers: { ...r.headers, authorization: `Bearer ${r.key}`, ...(r.body ? { 'content-type': r.body.type } : {}) },
            ...(r.body ? { body: r.body.text } : {}),
          });
          const text = await res.text();
          tried.ingest += 1;
          if (badAnswer(res.status, text)) findings.push({ route: `POST ${r.path}`, status: res.status, answer: text.slice(0, 200) });
          return true;
        }),
        { numRuns: RUNS_PER_ROUTE * 20 },
      );
      if (findings.length > 0) console.log(ingest.output.filter((line) => line.includes('"level":50')).join(''));
      expect(findings).toEqual([]);
    });

    it('turns every generated record on its Kafka input into a rejected record with a reason, and keeps consuming', async () => {
      const wireLike = fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.uint8Array({ maxLength: 200 })).map(([id, rest]) => {
        const head = Buffer.alloc(5);
        head.writeUInt8(0, 0);
        head.writeUInt32BE(id, 1);
        return Buffer.concat([head, Buffer.from(rest)]);
      });
      const values = fc.sample(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          wireLike,
        ),
        { numRuns: RANDOM_RECORDS, seed: 42 },
      );
      const kafka = new Kafka({ clientId: 'fuzz-producer', brokers, logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      try {
        const marker = `fuzz-${randomUUID()}`;
        await producer.send({
          topic: `${NAMESPACE}notifications.events`,
          messages: values.map((value, i) => ({ key: `k-${i % 7}`, value, headers: { 'x-fuzz': marker } })),
        });
        tried.records += values.length;
        await waitFor('every generated record rejected', () => (rejected.records.length >= values.length ? true : undefined), 120_000, 500);
        expect(rejected.records).toHaveLength(values.length);
        for (const r of rejected.records) {
          expect(r.value.reason).toEqual(expect.any(String));
          expect(r.value.reason.length).toBeGreaterThan(0);
          expect(r.value.source_topic).toBe(`${NAMESPACE}notifications.events`);
        }
      } finally {
        await producer.disconnect();
      }
      // The partitions are not stuck: a valid event sent now is accepted.
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'ORDER_FILLED', producer: 'fuzz', payload: { user_id: 'u1' }, severity: 'low' }),
      });
      expect(res.status).toBe(202);
      const { event_id: eventId } = (await res.json()) as { event_id: string };
      await waitFor('the valid event accepted after the garbage', () => accepted.records.find((r) => r.value.event_id === eventId));
    });
  });
});
