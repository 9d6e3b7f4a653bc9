/**
 * Errors of the preference routes, answered in the API's JSON error shape. Scoped to these routes so
 * the rest of the API keeps its own handler.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PublishFailedError, sendError } from './http-errors';
import { Refusal } from './refusal';

export function preferenceErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof Refusal) {
    reply.headers(error.headers);
    return sendError(reply, error.status, error.code, error.message, error.extra);
  }
  if (error instanceof PublishFailedError) {
    request.log.warn({ err: error }, 'preference change not published; rolled back');
    reply.header('retry-after', '1');
    return sendError(reply, 503, 'unavailable', 'the change could not be saved right now and nothing was changed; try again');
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  // Fastify's own client errors: malformed JSON, a body over the limit, an unsupported content type.
  if (status >= 400 && status < 500) return sendError(reply, status, 'invalid_request', error.message);
  request.log.error({ err: error }, 'preference request failed');
  return sendError(reply, 500, 'internal', 'internal error');
}
