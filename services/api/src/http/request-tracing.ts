/**
 * A server span around every HTTP route handler, continuing a caller's `traceparent`, so that what a
 * request produces (acks, statuses, preference and contact records, replays) carries its trace to the
 * next hop and its logs carry the trace id. The WebSocket route is left out: its span would last as
 * long as the socket.
 */
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { inServerSpan, processTracer } from '@notify/runner';

export function traceRequests(app: FastifyInstance): void {
  const tracer = processTracer('api');
  app.addHook('onRoute', (route) => {
    // The API's own routes only: static console files answer with streams after their handler has
    // returned, and an async wrapper would end those requests before the stream does.
    if ((route as { websocket?: boolean }).websocket || !route.url.startsWith('/v1/')) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function traced(request, reply) {
      return inServerSpan(tracer, request, route.url, async () => handler.call(this, request, reply));
    };
  });
}
