/** The audit trail of data-rights operations: who did what to whose data, and when. */
import type { Db } from '@notify/db';
import type { UserClaims } from '../auth';

export interface AuditEntry {
  actor: UserClaims;
  action: 'export' | 'erase';
  subject: { tenant: string; userId: string };
  detail: Record<string, unknown>;
}

type Executor = Pick<Db, 'insertInto'>;

export async function writeAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_tenant: e.actor.tenant,
      actor_user_id: e.actor.userId,
      actor_role: e.actor.role,
      action: e.action,
      subject_tenant: e.subject.tenant,
      subject_user_id: e.subject.userId,
      detail: JSON.stringify(e.detail),
    })
    .execute();
}

export async function auditFor(db: Db, tenant: string, userId: string) {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_tenant', '=', tenant)
    .where('subject_user_id', '=', userId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
