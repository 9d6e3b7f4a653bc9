/** The caller as the owner of an inbox; only ever taken from the verified token. */
import type { FastifyRequest } from 'fastify';
import type { Owner } from '../inbox/inbox-repository';

export function ownerOf(request: FastifyRequest): Owner {
  const user = request.user;
  if (!user) throw new Error('route is missing its authentication preHandler');
  return { tenant: user.tenant, userId: user.userId };
}
