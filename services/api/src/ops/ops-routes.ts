/**
 * /health (alive) and /health/ready (consuming and able to serve) on the API port, for load balancers that
 * probe the public port. /metrics is only on OPS_PORT: counters and lag per topic are not for the internet.
 */
import type { FastifyInstance } from 'fastify';

export function registerOpsRoutes(app: FastifyInstance, deps: { isReady: () => boolean }): void {
  const tags = ['ops'];
  app.get('/health', { schema: { summary: 'Liveness', tags } }, async () => ({ status: 'ok' }));
  app.get(
    '/health/ready',
    { schema: { summary: 'Readiness (503 until the Kafka consumers joined their groups)', tags } },
    async (_request, reply) => (deps.isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })),
  );
}
