/** GET /v1/admin/lag: records each service's consumer group has still to read, per partition and in total. */
import type { FastifyInstance } from 'fastify';
import type { AdminPort } from '@notify/kafka';
import { requireOperator, type TokenVerifier } from '../auth';
import { operatorSecurity } from '../http/operator';
import type { ServiceGroup } from './service-groups';

export interface LagRouteDeps {
  tokens: TokenVerifier;
  admin: AdminPort;
  groups: ServiceGroup[];
}

export function registerLagRoutes(app: FastifyInstance, deps: LagRouteDeps): void {
  app.get(
    '/v1/admin/lag',
    {
      preHandler: requireOperator(deps.tokens),
      schema: { summary: 'Consumer lag of every service group', tags: ['admin'], security: operatorSecurity },
    },
    async () => {
      const services = await Promise.all(
        deps.groups.map(async (g) => {
          const partitions = await deps.admin.groupLag(g.group, g.topics);
          return {
            service: g.service,
            group: g.group,
            topics: g.topics,
            total_lag: partitions.reduce((sum, p) => sum + p.lag, 0),
            partitions,
          };
        }),
      );
      return { at: new Date().toISOString(), services };
    },
  );
}
