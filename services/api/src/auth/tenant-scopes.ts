/**
 * Which tenant an admin request acts on. An operator acts within its token's tenant only: naming
 * another tenant is refused, and entities of other tenants are not found. The platform role (the
 * people who run the installation) acts on any tenant, or on every tenant when it names none; each
 * of its actions outside its own tenant is written to the audit log (who, what, when, which tenant)
 * before the route answers, so no cross-tenant read or change goes unrecorded.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '@notify/db';
import { sendAuthError } from './authenticate';

/** The tenant a request may act on; null means every tenant (platform role only). */
export interface AdminScope {
  tenant: string | null;
}

/** The audit log's subject tenant for an action over every tenant. */
export const EVERY_TENANT = '*';

export class TenantScopes {
  constructor(private readonly db: Pick<Db, 'insertInto'>) {}

  /**
   * The scope of a request that may name a tenant (`requested`, from the path, query or body), or
   * undefined once a refusal has been sent. `action` names what is done, for the audit log.
   */
  async resolve(
    request: FastifyRequest,
    reply: FastifyReply,
    requested: string | undefined,
    action: string,
    detail: Record<string, unknown> = {},
  ): Promise<AdminScope | undefined> {
    const user = request.user;
    if (!user) throw new Error('route is missing its authentication preHandler');
    if (user.role !== 'platform') {
      if (requested !== undefined && requested !== user.tenant) {
        sendAuthError(reply, 403, `an operator acts within its own tenant (${user.tenant}); acting on another needs the platform role`);
        return undefined;
      }
      return { tenant: user.tenant };
    }
    const tenant = requested ?? null;
    await this.audit(request, tenant, action, detail);
    return { tenant };
  }

  /**
   * The scope in which to look up an entity by id: the operator's tenant, or every tenant for the
   * platform role, which then reports the entity's tenant through `audit` once it is found.
   */
  lookup(request: FastifyRequest): AdminScope {
    const user = request.user;
    if (!user) throw new Error('route is missing its authentication preHandler');
    return { tenant: user.role === 'platform' ? null : user.tenant };
  }

  /**
   * Records a platform action on an entity found to belong to `tenant` (a dead letter, an API key)
   * when that is not the caller's own. Operators never reach other tenants' entities.
   */
  async audit(request: FastifyRequest, tenant: string | null, action: string, detail: Record<string, unknown> = {}): Promise<void> {
    const user = request.user;
    if (!user || user.role !== 'platform' || tenant === user.tenant) return;
    await this.db
      .insertInto('audit_log')
      .values({
        actor_tenant: user.tenant,
        actor_user_id: user.userId,
        actor_role: user.role,
        action,
        subject_tenant: tenant ?? EVERY_TENANT,
        subject_user_id: typeof detail.user === 'string' ? detail.user : '',
        detail: JSON.stringify({ method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0], ...detail }),
      })
      .execute();
  }
}
