/**
 * The API's side of tenant webhook endpoint health (migration 0022): channel-webhook writes the
 * records as it sends; operators read them and re-enable a disabled endpoint. Re-enabling and its
 * audit row are one transaction, so no endpoint comes back without a record of who brought it back.
 */
import type { Db, Selectable, WebhookEndpointHealthTable } from '@notify/db';
import type { UserClaims } from '../auth';

export type EndpointHealth = Selectable<WebhookEndpointHealthTable>;

export type EnableOutcome =
  { kind: 'enabled'; health: EndpointHealth } | { kind: 'not_found' } | { kind: 'not_disabled'; health: EndpointHealth };

export class EndpointHealthStore {
  constructor(private readonly db: Db) {}

  /** The tenant's endpoints with a record (every tenant's for null), by tenant and endpoint. */
  list(tenant: string | null): Promise<EndpointHealth[]> {
    let query = this.db.selectFrom('webhook_endpoint_health').selectAll();
    if (tenant !== null) query = query.where('tenant', '=', tenant);
    return query.orderBy('tenant').orderBy('endpoint').execute();
  }

  /** Clears the disable and the failing streak, and writes the audit row, in one transaction. */
  enable(tenant: string, endpoint: string, actor: UserClaims, at: Date): Promise<EnableOutcome> {
    return this.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('webhook_endpoint_health')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('endpoint', '=', endpoint)
        .forUpdate()
        .executeTakeFirst();
      if (!current) return { kind: 'not_found' };
      if (current.disabled_at === null) return { kind: 'not_disabled', health: current };
      const health = await tx
        .updateTable('webhook_endpoint_health')
        .set({
          disabled_at: null,
          disabled_reason: null,
          failing_since: null,
          failures: 0,
          enabled_at: at,
          enabled_by: `${actor.tenant}/${actor.userId}`,
          updated_at: at,
        })
        .where('tenant', '=', tenant)
        .where('endpoint', '=', endpoint)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('audit_log')
        .values({
          at,
          actor_tenant: actor.tenant,
          actor_user_id: actor.userId,
          actor_role: actor.role,
          action: 'webhook_endpoint_enabled',
          subject_tenant: tenant,
          subject_user_id: '',
          detail: JSON.stringify({
            endpoint,
            was_disabled_at: current.disabled_at.toISOString(),
            was_disabled_for: current.disabled_reason,
          }),
        })
        .execute();
      return { kind: 'enabled', health };
    });
  }
}
