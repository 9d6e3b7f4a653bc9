/** How an operator is named in audit rows and replay marks. */
import type { FastifyRequest } from 'fastify';
import { recipientKey } from '@notify/schemas';

export function operatorName(request: FastifyRequest): string {
  const user = request.user;
  if (!user) throw new Error('route is missing its authentication preHandler');
  return recipientKey(user.tenant, user.userId);
}

export const operatorSecurity = [{ bearerAuth: [] }];
