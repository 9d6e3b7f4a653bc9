/**
 * POST /v1/events and /v1/events/batch: authenticate the producer, validate exactly as the consumer
 * will, and answer 202 only once Kafka has acknowledged the event. Errors are JSON with a code.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AvroCodec, BatchingProducer } from '@notify/kafka';
import { activeTraceHeaders, inServerSpan, processTracer } from '@notify/runner';
import type { Event } from '@notify/schemas';
import type { ApiKeys } from './api-keys';
import { eventFromJson } from './http-event';
import { validateEvent, type FieldProblem } from './validate';

export interface GatewayDeps {
  keys: ApiKeys;
  codec: AvroCodec;
  producer: BatchingProducer;
  maxBatch: number;
  isReady: () => boolean;
  now?: () => number;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldProblem[]): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(fields ? { fields } : {}) } });
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
    await deps.producer.send(events.map((e) => ({
      topic: 'notifications.events',
      key: topicKey(e),
      value: deps.codec.encode('notifications.events', e),
      headers: { 'content-type': 'application/vnd.notifications.event+avro', ...activeTraceHeaders() },
    })));
  };

  // Each accepted request starts a trace (or continues the caller's); the produced events carry it on.
  const tracer = processTracer('ingest');
  const traced = <R>(handler: (req: FastifyRequest, reply: FastifyReply) => Promise<R>) =>
    (req: FastifyRequest, reply: FastifyReply): Promise<R> => inServerSpan(tracer, req, req.routeOptions.url ?? req.url, () => handler(req, reply));
  app.post('/v1/events', traced(async (req, reply) => {
    const tenant = authenticate(req, reply);
    if (!tenant) return reply;
    const { event, problems } = eventFromJson(req.body, tenant, now());
    const validation = problems.length === 0 ? validateEvent(event, now()) : null;
    if (!validation || !validation.ok) {
      return sendError(reply, 400, 'invalid_event', 'the event is invalid', validation && !validation.ok ? validation.problems : problems);
    }
    await publish([event]);
    return reply.code(202).send({ event_id: event.event_id, status: 'accepted_for_processing' });
  }));

  app.post('/v1/events/batch', traced(async (req, reply) => {
    const tenant = authenticate(req, reply);
    if (!tenant) return reply;
    const body = req.body as { events?: unknown } | unknown[] | null;
    const items = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events) ? (body as { events: unknown[] }).events : null;
    if (!items) return sendError(reply, 400, 'invalid_batch', 'body must be {"events": [...]} or an array');
    if (items.length === 0 || items.length > deps.maxBatch) return sendError(reply, 400, 'invalid_batch', `a batch holds 1 to ${deps.maxBatch} events`);
    const good: Event[] = [];
    const rejected: Array<{ index: number; fields: FieldProblem[] }> = [];
    items.forEach((item, index) => {
      const { event, problems } = eventFromJson(item, tenant, now());
      const validation = problems.length === 0 ? validateEvent(event, now()) : null;
      if (validation?.ok) good.push(event);
      else rejected.push({ index, fields: validation && !validation.ok ? validation.problems : problems });
    });
    await publish(good);
    return reply.code(rejected.length === 0 ? 202 : 207).send({ accepted: good.map((e) => e.event_id), rejected });
  }));

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => (deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (error.statusCode && error.statusCode < 500) return sendError(reply, error.statusCode, error.code ?? 'bad_request', error.message);
    return sendError(reply, 503, 'unavailable', 'the event could not be stored; retry');
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'not_found', 'no such endpoint'));
  return app;
}
