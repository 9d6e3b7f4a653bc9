/**
 * Publishes every user's Recipient record again, sealed as the API seals them now. Records published
 * before per-user sealing hold contact points in clear on the compacted topic until each user's next
 * change replaces them; after this call compaction drops them. Users are taken in pages, each page one
 * transaction that locks, stamps and publishes its rows like any contact change (republish-users.ts).
 */
import type { FastifyInstance } from 'fastify';
import { sql } from '@notify/db';
import { requireOperator, type TenantScopes, type TokenVerifier } from '../auth';
import { operatorSecurity } from '../http/operator';
import { republishUsers } from '../devices/republish-users';
import type { ResolvedDeps } from '../preferences/deps';

export type RepublishDeps = Pick<ResolvedDeps, 'db' | 'send' | 'codec' | 'personal' | 'contacts'> & {
  tokens: TokenVerifier;
  scopes: TenantScopes;
  now: () => number;
};

const PAGE = 500;

export function registerRepublishRoute(app: FastifyInstance, deps: RepublishDeps): void {
  app.post(
    '/v1/admin/recipients/republish',
    {
      preHandler: requireOperator(deps.tokens),
      schema: {
        summary: "Publish every user's Recipient record again, contact points sealed (after upgrading to sealed records)",
        tags: ['data rights'],
        security: operatorSecurity,
        querystring: {
          type: 'object',
          properties: {
            tenant: {
              type: 'string',
              minLength: 1,
              description: "The tenant; an operator's own by default, every tenant for the platform role",
            },
          },
        },
      },
    },
    async (request, reply) => {
      const scope = await deps.scopes.resolve(request, reply, (request.query as { tenant?: string }).tenant, 'recipients.republish');
      if (!scope) return reply;
      let republished = 0;
      let after = { tenant: '', userId: '' };
      for (;;) {
        const { rows } = await sql<{ tenant: string; user_id: string }>`
          select tenant, user_id from user_contacts
           where (${scope.tenant}::text is null or tenant = ${scope.tenant})
             and (tenant, user_id) > (${after.tenant}, ${after.userId})
           order by tenant, user_id limit ${PAGE}`.execute(deps.db);
        if (rows.length === 0) break;
        const users = rows.map((r) => ({ tenant: r.tenant, userId: r.user_id }));
        await deps.db.transaction().execute((trx) => republishUsers(deps, trx, users, deps.now()));
        republished += users.length;
        after = users[users.length - 1] as { tenant: string; userId: string };
      }
      return { tenant: scope.tenant, republished };
    },
  );
}
