/**
 * One log line per answered request, naming the route pattern rather than the URL: URLs carry
 * tokens (`/v1/ws?token=`, console links `?token=`) and personal data (phone numbers, endpoints), and
 * Fastify's own request logging would write them verbatim.
 */
import type { FastifyInstance } from 'fastify';

export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
}
