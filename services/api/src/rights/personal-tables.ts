/**
 * Finds every table that holds rows about one user, by its columns: (tenant, user_id), or
 * (tenant, recipient) where recipient is the `<tenant>/<user_id>` key. Discovering them at request
 * time means tables other services add later (preferences, contacts, delivery statuses) are exported
 * and erased without this code knowing their names.
 */
import { sql, type Db } from '@notify/db';
import { recipientKey } from '@notify/schemas';

export interface PersonalTable {
  table: string;
  /** The column naming the user: user_id (with tenant) or recipient (with tenant). */
  by: 'user_id' | 'recipient';
}

/** Never erased: the audit log must outlive an erasure (it names subjects in subject_* columns anyway). */
const KEPT = new Set(['audit_log', 'kysely_migration', 'kysely_migration_lock']);

export function classify(columnsByTable: ReadonlyMap<string, ReadonlySet<string>>): PersonalTable[] {
  const out: PersonalTable[] = [];
  for (const [table, columns] of [...columnsByTable].sort(([a], [b]) => a.localeCompare(b))) {
    if (KEPT.has(table) || !columns.has('tenant')) continue;
    if (columns.has('user_id')) out.push({ table, by: 'user_id' });
    else if (columns.has('recipient')) out.push({ table, by: 'recipient' });
  }
  return out;
}

export async function personalTables(db: Db): Promise<PersonalTable[]> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      and c.column_name in ('tenant', 'user_id', 'recipient')`.execute(db);
  const byTable = new Map<string, Set<string>>();
  for (const r of rows) {
    let set = byTable.get(r.table_name);
    if (!set) byTable.set(r.table_name, (set = new Set()));
    set.add(r.column_name);
  }
  return classify(byTable);
}

export function whereUser(t: PersonalTable, tenant: string, userId: string) {
  const subject =
    t.by === 'user_id' ? sql`${sql.ref('user_id')} = ${userId}` : sql`${sql.ref('recipient')} = ${recipientKey(tenant, userId)}`;
  return sql`${sql.ref('tenant')} = ${tenant} and ${subject}`;
}
