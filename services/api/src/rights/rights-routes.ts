/** Data rights: a user exports their own data; an operator erases a user's; both are audited. */
import type { FastifyInstance } from 'fastify';
import type { ContactCipher, Db, PersonalKeys } from '@notify/db';
import { requireOperator, requireUser, type TenantScopes, type TokenVerifier } from '../auth';
import { operatorSecurity } from '../http/operator';
import { userSecurity } from '../http/schemas';
import type { ApiPublisher } from '../kafka/api-publisher';
import { auditFor } from './audit-log';
import { eraseUser, exportUser } from './user-data';

export interface RightsRouteDeps {
  tokens: TokenVerifier;
  db: Db;
  scopes: TenantScopes;
  publisher: ApiPublisher;
  /** Opens the contact points of exported rows, and finds the user's opt-outs to erase. */
  contacts: ContactCipher;
  /** Forgets an erased user's data key in this process, so nothing sealed for them later reuses it. */
  personal: Pick<PersonalKeys, 'forget'>;
  now: () => number;
}

const subjectParams = {
  type: 'object',
  required: ['tenant', 'user'],
  properties: { tenant: { type: 'string', minLength: 1, pattern: '^[^/]+$' }, user: { type: 'string', minLength: 1 } },
} as const;

export function registerRightsRoutes(app: FastifyInstance, deps: RightsRouteDeps): void {
  app.get(
    '/v1/me/export',
    {
      preHandler: requireUser(deps.tokens),
      schema: { summary: 'Export everything held about you (JSON)', tags: ['data rights'], security: userSecurity },
    },
    async (request) => {
      const user = request.user as NonNullable<typeof request.user>;
      return exportUser(deps.db, deps.contacts, { tenant: user.tenant, userId: user.userId }, user, new Date(deps.now()));
    },
  );

  app.post(
    '/v1/admin/users/:tenant/:user/erase',
    {
      preHandler: requireOperator(deps.tokens),
      schema: {
        summary:
          'Erase a user: delete their rows and data key (their contact points on Kafka become unreadable), tombstone their compacted records',
        tags: ['data rights'],
        security: operatorSecurity,
        params: subjectParams,
      },
    },
    async (request, reply) => {
      const { tenant, user } = request.params as { tenant: string; user: string };
      if (!(await deps.scopes.resolve(request, reply, tenant, 'users.erase', { user }))) return reply;
      const actor = request.user as NonNullable<typeof request.user>;
      return eraseUser(
        deps.db,
        deps.contacts,
        { tenant, userId: user },
        actor,
        () => deps.publisher.tombstoneUser(tenant, user),
        deps.personal,
      );
    },
  );

  app.get(
    '/v1/admin/users/:tenant/:user/audit',
    {
      preHandler: requireOperator(deps.tokens),
      schema: {
        summary: 'Data-rights audit entries about a user',
        tags: ['data rights'],
        security: operatorSecurity,
        params: subjectParams,
      },
    },
    async (request, reply) => {
      const { tenant, user } = request.params as { tenant: string; user: string };
      if (!(await deps.scopes.resolve(request, reply, tenant, 'users.audit', { user }))) return reply;
      return { items: await auditFor(deps.db, tenant, user) };
    },
  );
}
