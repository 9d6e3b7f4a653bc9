/** /health (alive), /health/ready (consuming and able to serve) and /metrics on the API port. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export function registerOpsRoutes(app: FastifyInstance, deps: { registry: Registry; isReady: () => boolean }): void {
  const tags = ['ops'];
  app.get('/health', { schema: { summary: 'Liveness', tags } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { summary: 'Readiness (503 until the Kafka consumers joined their groups)', tags } }, async (_request, reply) =>
    (deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags } }, async (_request, reply) => {
    const text = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(text);
  });
}
