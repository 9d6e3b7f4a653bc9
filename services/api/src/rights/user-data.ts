/**
 * Export and erasure of everything held about one user. Erasure tombstones the compacted topics first
 * (idempotent, so a failed request can simply be repeated), then deletes every personal row and
 * writes the audit entry in one transaction.
 */
import { sql, type Db } from '@notify/db';
import type { UserClaims } from '../auth';
import { jsonSafe } from '../dlq/dlq-view';
import { writeAudit } from './audit-log';
import { personalTables, whereUser } from './personal-tables';

export interface Subject {
  tenant: string;
  userId: string;
}

export async function exportUser(db: Db, subject: Subject, actor: UserClaims, at: Date) {
  const tables: Record<string, unknown[]> = {};
  for (const t of await personalTables(db)) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(t.table)} where ${whereUser(t, subject.tenant, subject.userId)}`.execute(db);
    tables[t.table] = rows.map(jsonSafe);
  }
  const counts = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length]));
  await writeAudit(db, { actor, action: 'export', subject, detail: { counts } });
  return { subject: { tenant: subject.tenant, user_id: subject.userId }, exported_at: at.toISOString(), tables };
}

export async function eraseUser(db: Db, subject: Subject, actor: UserClaims, tombstone: () => Promise<string[]>) {
  const topics = await tombstone();
  return db.transaction().execute(async (tx) => {
    const deleted: Record<string, number> = {};
    for (const t of await personalTables(tx)) {
      const result = await sql`delete from ${sql.table(t.table)} where ${whereUser(t, subject.tenant, subject.userId)}`.execute(tx);
      deleted[t.table] = Number(result.numAffectedRows ?? 0);
    }
    await writeAudit(tx, { actor, action: 'erase', subject, detail: { deleted, tombstoned_topics: topics } });
    return { subject: { tenant: subject.tenant, user_id: subject.userId }, deleted, tombstoned_topics: topics };
  });
}
