/**
 * The health records of tenant endpoints in Postgres (migration 0022), shared by every replica of
 * channel-webhook and read by the API. Failures and disabling are single statements, so replicas
 * recording at once neither lose a count nor disable twice: only the statement that turns
 * `disabled_at` from null writes the audit row, in the same transaction.
 */
import { sql, type Db } from '@notify/db';
import type { HealthRecord } from './endpoint-health';

/** The audit log's actor for what the worker does on its own (no person, no tenant). */
export const SERVICE_ACTOR = { tenant: '*', userId: 'channel-webhook', role: 'service' } as const;

interface Row {
  tenant: string;
  endpoint: string;
  failing_since: Date | null;
  last_failure_at: Date | null;
  last_error: string | null;
  failures: number;
  disabled_at: Date | null;
  disabled_reason: string | null;
}

const recordOf = (r: Row): HealthRecord => ({
  tenant: r.tenant,
  endpoint: r.endpoint,
  failingSince: r.failing_since,
  lastFailureAt: r.last_failure_at,
  lastError: r.last_error,
  failures: r.failures,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
});

const columns = [
  'tenant',
  'endpoint',
  'failing_since',
  'last_failure_at',
  'last_error',
  'failures',
  'disabled_at',
  'disabled_reason',
] as const;

export class HealthStore {
  constructor(private readonly db: Db) {}

  async find(tenant: string, endpoint: string): Promise<HealthRecord | null> {
    const row = await this.db
      .selectFrom('webhook_endpoint_health')
      .select(columns)
      .where('tenant', '=', tenant)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return row ? recordOf(row) : null;
  }

  /** Counts a failure; the first one after a success starts `failing_since`. Returns the record as it now is. */
  async recordFailure(tenant: string, endpoint: string, at: Date, error: string): Promise<HealthRecord> {
    const row = await this.db
      .insertInto('webhook_endpoint_health')
      .values({ tenant, endpoint, failing_since: at, last_failure_at: at, last_error: error, failures: 1, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['tenant', 'endpoint']).doUpdateSet({
          failing_since: sql<Date>`coalesce(webhook_endpoint_health.failing_since, excluded.failing_since)`,
          last_failure_at: sql<Date>`excluded.last_failure_at`,
          last_error: sql<string>`excluded.last_error`,
          failures: sql<number>`webhook_endpoint_health.failures + 1`,
          updated_at: sql<Date>`excluded.updated_at`,
        }),
      )
      .returning(columns)
      .executeTakeFirstOrThrow();
    return recordOf(row);
  }

  /** A success ends the failing streak. Only written when the record shows one, so a healthy endpoint costs no write. */
  async recordSuccess(tenant: string, endpoint: string, at: Date): Promise<void> {
    await this.db
      .updateTable('webhook_endpoint_health')
      .set({ failing_since: null, failures: 0, updated_at: at })
      .where('tenant', '=', tenant)
      .where('endpoint', '=', endpoint)
      .where('failing_since', 'is not', null)
      .execute();
  }

  /**
   * Disables the endpoint and writes the audit row, unless it is disabled already. Returns the record
   * as it is afterwards, disabled either way, and whether this call was the one that disabled it.
   */
  async disable(tenant: string, endpoint: string, at: Date, reason: string): Promise<{ record: HealthRecord; disabledNow: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('webhook_endpoint_health')
        .set({ disabled_at: at, disabled_reason: reason, updated_at: at })
        .where('tenant', '=', tenant)
        .where('endpoint', '=', endpoint)
        .where('disabled_at', 'is', null)
        .returning(columns)
        .executeTakeFirst();
      if (!row) {
        const current = await tx
          .selectFrom('webhook_endpoint_health')
          .select(columns)
          .where('tenant', '=', tenant)
          .where('endpoint', '=', endpoint)
          .executeTakeFirstOrThrow();
        return { record: recordOf(current), disabledNow: false };
      }
      await tx
        .insertInto('audit_log')
        .values({
          at,
          actor_tenant: SERVICE_ACTOR.tenant,
          actor_user_id: SERVICE_ACTOR.userId,
          actor_role: SERVICE_ACTOR.role,
          action: 'webhook_endpoint_disabled',
          subject_tenant: tenant,
          subject_user_id: '',
          detail: JSON.stringify({
            endpoint,
            reason,
            failing_since: row.failing_since?.toISOString() ?? null,
            failures: row.failures,
            last_error: row.last_error,
          }),
        })
        .execute();
      return { record: recordOf(row), disabledNow: true };
    });
  }
}
