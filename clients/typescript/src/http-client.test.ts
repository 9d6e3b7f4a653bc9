import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishError } from './errors';
import { NotificationClient } from './http-client';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Reply = (res: ServerResponse, req: Seen) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
const accepted: Reply = (res, req) =>
  json(202, { event_id: (req.body as { event_id: string }).event_id, status: 'accepted_for_processing' })(res, req);

/** An HTTP server that answers each request with the next scripted reply and records what it got. */
async function scriptedServer(replies: Reply[]): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as unknown };
      seen.push(request);
      const reply = replies.shift() ?? json(500, { error: { code: 'unscripted', message: 'no reply scripted' } });
      reply(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
async function serve(replies: Reply[]) {
  const s = await scriptedServer(replies);
  servers.push(s.server);
  return s;
}
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise((r) => {
          s.close(r);
          s.closeAllConnections();
        }),
    ),
  );
});

const EVENT = { type: 'ORDER_FILLED', producer: 'trading-system', payload: { user_id: 'u1' } };
const client = (url: string, extra: Partial<ConstructorParameters<typeof NotificationClient>[0]> = {}) =>
  new NotificationClient({ baseUrl: url, apiKey: 'k1', retries: 3, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000, ...extra });

async function publishError(call: Promise<unknown>): Promise<PublishError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PublishError);
  return error as PublishError;
}

describe('NotificationClient over HTTP', () => {
  it('sends the key, a generated event_id, and resends both unchanged on each retry', async () => {
    const { url, seen } = await serve([json(503, { error: { code: 'unavailable', message: 'retry' } }), (res) => res.destroy(), accepted]);
    const result = await client(url).publish(EVENT);
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((s) => s.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(seen.map((s) => JSON.stringify(s.body))).size).toBe(1);
    expect(seen[0]?.headers.authorization).toBe('Bearer k1');
    expect(seen[0]?.path).toBe('/v1/events');
    expect(result.event_id).toBe((seen[0]?.body as { event_id: string }).event_id);
  });

  it('uses a new key for each call, or the one the caller gives', async () => {
    const { url, seen } = await serve([accepted, accepted, accepted]);
    const c = client(url);
    await c.publish(EVENT);
    await c.publish(EVENT);
    await c.publish({ ...EVENT, event_id: 'mine' }, { idempotencyKey: 'order-456-filled' });
    expect(seen[0]?.headers['idempotency-key']).not.toBe(seen[1]?.headers['idempotency-key']);
    expect(seen[2]?.headers['idempotency-key']).toBe('order-456-filled');
    expect((seen[2]?.body as { event_id: string }).event_id).toBe('mine');
  });

  it('waits as long as Retry-After says on a 429', async () => {
    const { url, seen } = await serve([
      json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '1' }),
      accepted,
    ]);
    const started = Date.now();
    await client(url).publish(EVENT);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each([400, 401, 403, 404, 409, 413])('does not retry a %i', async (status) => {
    const { url, seen } = await serve([json(status, { error: { code: `code_${status}`, message: 'no' } })]);
    const error = await publishError(client(url).publish(EVENT));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status, code: `code_${status}`, attempts: 1 });
  });

  it('retries a 408 and a 409 for a key still in flight', async () => {
    const { url, seen } = await serve([
      json(408, { error: { code: 'timeout', message: 'slow' } }),
      json(409, { error: { code: 'idempotency_key_in_flight', message: 'busy' } }, { 'retry-after': '0' }),
      accepted,
    ]);
    await client(url).publish(EVENT);
    expect(seen).toHaveLength(3);
  });

  it('surfaces the field list of a 400', async () => {
    const fields = [
      { field: 'producer', message: 'is required' },
      { field: 'severity', message: 'unknown severity "apocalyptic"' },
    ];
    const { url } = await serve([json(400, { error: { code: 'invalid_event', message: 'the event is invalid', fields } })]);
    const error = await publishError(client(url).publish(EVENT));
    expect(error.fields).toEqual(fields);
    expect(error.message).toContain('producer is required');
  });

  it('gives up after the retries with the last answer, and names the key for a later retry', async () => {
    const unavailable = json(503, { error: { code: 'unavailable', message: 'the event could not be stored; retry' } });
    const { url, seen } = await serve([unavailable, unavailable, unavailable]);
    const error = await publishError(client(url, { retries: 2 }).publish(EVENT));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', attempts: 3, idempotencyKey: seen[0]?.headers['idempotency-key'] });
  });

  it('ends with the Retry-After error when the server asks for a longer wait than allowed', async () => {
    const { url, seen } = await serve([json(503, { error: { code: 'unavailable', message: 'later' } }, { 'retry-after': '120' })]);
    const error = await publishError(client(url).publish(EVENT));
    expect(seen).toHaveLength(1);
    expect(error.status).toBe(503);
  });

  it('times out a request that gets no answer and retries it', async () => {
    const { url, seen } = await serve([() => undefined, accepted]);
    await client(url, { timeoutMs: 200 }).publish(EVENT);
    expect(seen).toHaveLength(2);
  });

  it('reports a timeout when no attempt is answered', async () => {
    const { url } = await serve([() => undefined, () => undefined]);
    const error = await publishError(client(url, { timeoutMs: 100, retries: 1 }).publish(EVENT));
    expect(error).toMatchObject({ status: null, code: 'timeout', attempts: 2 });
  });

  it('stops at once when the caller aborts, also while waiting to retry', async () => {
    const { url, seen } = await serve([json(503, { error: { code: 'unavailable', message: 'x' } }, { 'retry-after': '10' })]);
    const controller = new AbortController();
    const call = client(url).publish(EVENT, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await publishError(call);
    expect(error.code).toBe('aborted');
    expect(seen).toHaveLength(1);
  });

  it('reads a non-JSON error answer as its status', async () => {
    const { url } = await serve([
      (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'),
      (res) => res.writeHead(502).end('<h1>Bad gateway</h1>'),
    ]);
    const error = await publishError(client(url, { retries: 1 }).publish(EVENT));
    expect(error).toMatchObject({ status: 502, code: 'http_502' });
    expect(error.message).toContain('Bad gateway');
  });

  it('publishes a batch with an id on every event and returns accepted and rejected', async () => {
    const rejected = [{ index: 1, fields: [{ field: 'producer', message: 'is required' }] }];
    const { url, seen } = await serve([
      (res, req) =>
        json(207, { accepted: [(req.body as { events: Array<{ event_id: string }> }).events[0]?.event_id], rejected })(res, req),
    ]);
    const result = await client(url).publishBatch([EVENT, { ...EVENT, producer: '' }]);
    const sent = (seen[0]?.body as { events: Array<{ event_id: string }> }).events;
    expect(seen[0]?.path).toBe('/v1/events/batch');
    expect(sent.every((e) => typeof e.event_id === 'string')).toBe(true);
    expect(result).toEqual({ accepted: [sent[0]?.event_id], rejected });
  });
});
