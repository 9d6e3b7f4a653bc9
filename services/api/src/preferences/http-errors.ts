/** The JSON error shape every route here answers with: `{ error: { code, message, fields? } }`. */
import type { FastifyReply } from 'fastify';
import type { FieldProblem } from './field-problems';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...extra } });
}

export function sendFieldErrors(reply: FastifyReply, code: string, problems: FieldProblem[]): FastifyReply {
  const message = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  return sendError(reply, 400, code, message, { fields: problems });
}

/**
 * The compacted topic did not acknowledge the record. The database change was rolled back with it,
 * so nothing was saved and the client may simply retry.
 */
export class PublishFailedError extends Error {
  constructor(cause: unknown) {
    super(`the change could not be published: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PublishFailedError';
  }
}
