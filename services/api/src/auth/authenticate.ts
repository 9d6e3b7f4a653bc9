/**
 * Fastify hooks that put the verified caller on `request.user`. Every user route reads the tenant
 * and user id from there, never from the request body, so a user sees only their own inbox.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidTokenError, type VerifiedClaims } from './jwt';
import { TokenKeysUnavailableError, type TokenVerifier } from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    user: VerifiedClaims | null;
  }
}

function bearer(request: FastifyRequest, allowQueryToken: boolean): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // Browsers cannot set headers on a WebSocket upgrade; everywhere else a token in the URL would end
  // up in proxies' and browsers' histories, so only the socket route takes one.
  if (!allowQueryToken) return null;
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' ? query.token : null;
}

export function sendAuthError(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  return reply.code(status).send({ error: { code: status === 401 ? 'unauthorized' : 'forbidden', message } });
}

/** preHandler for user routes: 401 without a valid token (in the Authorization header, or `?token=` where allowed). */
export function requireUser(tokens: TokenVerifier, options: { allowQueryToken?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearer(request, options.allowQueryToken ?? false);
    if (!token) return void sendAuthError(reply, 401, 'a bearer token is required');
    try {
      request.user = await tokens.verify(token);
    } catch (error) {
      if (error instanceof TokenKeysUnavailableError) {
        request.log.warn({ err: error.cause }, 'token keys unavailable');
        return void reply.code(503).send({ error: { code: 'unavailable', message: error.message } });
      }
      return void sendAuthError(reply, 401, error instanceof InvalidTokenError ? error.message : 'invalid token');
    }
  };
}

/** preHandler for operator routes: 401 without a token, 403 for a plain user; the platform role may too (see tenant-scopes.ts). */
export function requireOperator(tokens: TokenVerifier) {
  const user = requireUser(tokens);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await user(request, reply);
    if (reply.sent) return;
    const role = request.user?.role;
    if (role !== 'operator' && role !== 'platform') return void sendAuthError(reply, 403, 'operator role required');
  };
}
