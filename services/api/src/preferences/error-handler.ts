/**
 * Errors only the preference routes raise (a refusal, an unpublished change), answered in the API's JSON
 * error shape; every other error goes on to the API's own handler.
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
  // Everything else (schema validation, malformed bodies, values Postgres refuses, failures) is the
  // API's to answer: Fastify hands an error thrown here to the parent handler.
  throw error;
}
