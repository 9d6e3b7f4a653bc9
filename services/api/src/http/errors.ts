/**
 * Every error the API answers is JSON `{"error":{"code","message","fields?"}}`, whether it comes from a
 * route, from schema validation, from a malformed body or from an unknown path.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export interface FieldProblem {
  field: string;
  message: string;
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldProblem[]): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(fields ? { fields } : {}) } });
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Names the offending field the way a client wrote it: `limit`, `body.notification_id`. */
export function fieldOf(context: string | undefined, issue: ValidationIssue): string {
  const missing = typeof issue.params?.missingProperty === 'string' ? issue.params.missingProperty : null;
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  if (missing) path.push(missing);
  const name = path.join('.');
  if (context === 'body') return name === '' ? 'body' : `body.${name}`;
  return name === '' ? (context ?? 'request') : name;
}

/** SQLSTATE class 22, "data exception", as node-postgres reports it (`code` and `severity` on the error). */
function isDataException(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && typeof severity === 'string';
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const fields = error.validation.map((issue) => ({
        field: fieldOf(error.validationContext, issue),
        message: issue.message ?? 'is invalid',
      }));
      return sendError(reply, 400, 'invalid_request', 'the request is invalid', fields);
    }
    if (isDataException(error)) {
      // Postgres refused a value the request carried (a NUL character, an invalid escape in JSON, a
      // number out of range): the request is at fault, and retrying it cannot help.
      return sendError(reply, 400, 'invalid_value', `a value in the request cannot be stored: ${error.message}`);
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(
        reply,
        error.statusCode,
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'invalid_json' : 'bad_request',
        error.message,
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 503, 'unavailable', 'the request could not be completed; retry');
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'no such endpoint'));
}
