/**
 * POST /v1/events and /v1/events/batch: authenticate the producer, validate exactly as the consumer
 * will, and answer 202 only once Kafka has acknowledged the event. Errors are JSON with a code.
 * A request with an Idempotency-Key is answered at most once per tenant and key (idempotent-answer.ts).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AvroCodec, BatchingProducer } from '@notify/kafka';
import { activeTraceHeaders, inServerSpan, processTracer, type Logger } from '@notify/runner';
import type { Event } from '@notify/schemas';
import type { ApiKeys } from './api-keys';
import { eventFromJson } from './http-event';
import { answerOnce, type Answer } from './idempotent-answer';
import { IDEMPOTENCY_HEADER, idempotentEventId, parseIdempotencyKey, requestHash } from './idempotency-key';
import type { IdempotencyStore } from './idempotency-store';
import { validateEvent, type FieldProblem } from './validate';

export interface GatewayDeps {
  keys: ApiKeys;
  codec: AvroCodec;
  producer: BatchingProducer;
  idempotency: IdempotencyStore;
  maxBatch: number;
  isReady: () => boolean;
  log: Logger;
  now?: () => number;
}

const errorBody = (code: string, message: string, fields?: FieldProblem[]) => ({ error: { code, message, ...(fields ? { fields } : {}) } });

function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldProblem[]): FastifyReply {
  return reply.code(status).send(errorBody(code, message, fields));
}

function presentedKey(req: FastifyRequest): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header : null;
}

export function topicKey(event: Event): string {
  return event.dedupe_key ?? event.event_id;
}

/** Names the index-th event of a request that has no event_id of its own. */
type EventIds = (index: number) => () => string;

export function buildGateway(deps: GatewayDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  const now = deps.now ?? Date.now;

  const authenticate = (req: FastifyRequest, reply: FastifyReply): string | null => {
    const key = presentedKey(req);
    const tenant = key ? deps.keys.tenantOf(key) : null;
    if (!tenant) sendError(reply, 401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)');
    return tenant;
  };

  const publish = async (events: Event[]): Promise<void> => {
    await deps.producer.send(
      events.map((e) => ({
        topic: 'notifications.events',
        key: topicKey(e),
        value: deps.codec.encode('notifications.events', e),
        headers: { 'content-type': 'application/vnd.notifications.event+avro', ...activeTraceHeaders() },
      })),
    );
  };

  const oneEvent = async (body: unknown, tenant: string, ids: EventIds): Promise<Answer> => {
    const { event, problems } = eventFromJson(body, tenant, now(), ids(0));
    const validation = problems.length === 0 ? validateEvent(event, now()) : null;
    if (!validation || !validation.ok) {
      return {
        status: 400,
        body: errorBody('invalid_event', 'the event is invalid', validation && !validation.ok ? validation.problems : problems),
      };
    }
    await publish([event]);
    return { status: 202, body: { event_id: event.event_id, status: 'accepted_for_processing' } };
  };

  const batch = async (body: unknown, tenant: string, ids: EventIds): Promise<Answer> => {
    const items = Array.isArray(body)
      ? body
      : body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events)
        ? (body as { events: unknown[] }).events
        : null;
    if (!items) return { status: 400, body: errorBody('invalid_batch', 'body must be {"events": [...]} or an array') };
    if (items.length === 0 || items.length > deps.maxBatch)
      return { status: 400, body: errorBody('invalid_batch', `a batch holds 1 to ${deps.maxBatch} events`) };
    const good: Event[] = [];
    const rejected: Array<{ index: number; fields: FieldProblem[] }> = [];
    items.forEach((item, index) => {
      const { event, problems } = eventFromJson(item, tenant, now(), ids(index));
      const validation = problems.length === 0 ? validateEvent(event, now()) : null;
      if (validation?.ok) good.push(event);
      else rejected.push({ index, fields: validation && !validation.ok ? validation.problems : problems });
    });
    await publish(good);
    return { status: rejected.length === 0 ? 202 : 207, body: { accepted: good.map((e) => e.event_id), rejected } };
  };

  /** Authenticates, reads the Idempotency-Key, and answers through `work` (at most once when keyed). */
  const route =
    (path: string, work: (body: unknown, tenant: string, ids: EventIds) => Promise<Answer>) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const tenant = authenticate(req, reply);
      if (!tenant) return reply;
      const parsed = parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER]);
      if (!parsed.ok) return sendError(reply, 400, 'invalid_idempotency_key', parsed.message);
      const key = parsed.key;
      if (key === null) {
        const answer = await work(req.body, tenant, () => randomUUID);
        return reply.code(answer.status).send(answer.body);
      }
      const answer = await answerOnce(deps.idempotency, { tenant, key, hash: requestHash(path, req.body) }, now(), () =>
        work(req.body, tenant, (index) => () => idempotentEventId(tenant, key, index)),
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      if (answer.retryAfterS !== undefined) reply.header('retry-after', String(answer.retryAfterS));
      return reply.code(answer.status).send(answer.body);
    };

  // Each accepted request starts a trace (or continues the caller's); the produced events carry it on.
  const tracer = processTracer('ingest');
  const traced =
    <R>(handler: (req: FastifyRequest, reply: FastifyReply) => Promise<R>) =>
    (req: FastifyRequest, reply: FastifyReply): Promise<R> =>
      inServerSpan(tracer, req, req.routeOptions.url ?? req.url, () => handler(req, reply));
  app.post('/v1/events', traced(route('/v1/events', oneEvent)));
  app.post('/v1/events/batch', traced(route('/v1/events/batch', batch)));

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => (deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (error.statusCode && error.statusCode < 500) return sendError(reply, error.statusCode, error.code ?? 'bad_request', error.message);
    deps.log.error({ err: error, path: req.url }, 'event not stored');
    return sendError(reply, 503, 'unavailable', 'the event could not be stored; retry');
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'not_found', 'no such endpoint'));
  return app;
}
