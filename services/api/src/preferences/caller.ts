import type { FastifyRequest } from 'fastify';
import type { UserClaims } from '../auth';

/** The verified caller; the scope's onRequest hook has already answered 401 without one. */
export function caller(request: FastifyRequest): UserClaims {
  if (!request.user) throw new Error('route reached without an authenticated user');
  return request.user;
}
