/**
 * Export and erasure of everything held about one user. Erasure deletes every personal row, tombstones
 * the compacted topics and writes the audit entry in one transaction. One of those rows is the user's data key
 * (personal_data_keys): with it goes the only way to open the user's contact points in any Kafka
 * record that is still on a topic, in the DLQ or in a backup.
 */
import { sql, type ContactCipher, type Db, type PersonalKeys } from '@notify/db';
import type { UserClaims } from '../auth';
import { jsonSafe } from '../dlq/dlq-view';
import { writeAudit } from './audit-log';
import { personalTables, whereUser } from './personal-tables';

export interface Subject {
  tenant: string;
  userId: string;
}

/** Not the user's data but the means to read it: never exported (a wrapped key says nothing to its user). */
const NOT_EXPORTED = new Set(['personal_data_keys']);

/** Everything held about the user, contact points opened: the export is for the user to read. */
export async function exportUser(db: Db, contacts: ContactCipher, subject: Subject, actor: UserClaims, at: Date) {
  const tables: Record<string, unknown[]> = {};
  for (const t of await personalTables(db)) {
    if (NOT_EXPORTED.has(t.table)) continue;
    const { rows } = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(t.table)} where ${whereUser(t, subject.tenant, subject.userId)}`.execute(db);
    tables[t.table] = rows.map((row) => jsonSafe(contacts.openRow(t.table, row)));
  }
  const counts = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, v.length]));
  await writeAudit(db, { actor, action: 'export', subject, detail: { counts } });
  return { subject: { tenant: subject.tenant, user_id: subject.userId }, exported_at: at.toISOString(), tables };
}

/** Channels whose opt-outs name an address of the kind. */
const OPT_OUT_CHANNELS = { email: ['email'], phone: ['sms', 'voice'] } as const;

/**
 * The opt-outs naming the user's email address or phone numbers (the current ones and those under
 * verification). They are rows about the user that carry no user id, so the table scan misses them.
 */
async function eraseOptOuts(tx: Db, contacts: ContactCipher, subject: Subject): Promise<number> {
  const addresses = { email: new Set<string>(), phone: new Set<string>() };
  const held = await sql<Record<string, unknown>>`
    select * from user_contacts where tenant = ${subject.tenant} and user_id = ${subject.userId}`.execute(tx);
  for (const row of held.rows.map((r) => contacts.openRow('user_contacts', r))) {
    if (typeof row.email === 'string' && row.email) addresses.email.add(row.email);
    if (typeof row.phone === 'string' && row.phone) addresses.phone.add(row.phone);
  }
  const verifying = await sql<Record<string, unknown>>`
    select * from phone_verifications where tenant = ${subject.tenant} and user_id = ${subject.userId}`.execute(tx);
  for (const row of verifying.rows.map((r) => contacts.openRow('phone_verifications', r))) {
    if (typeof row.phone === 'string' && row.phone) addresses.phone.add(row.phone);
  }
  let count = 0;
  for (const kind of ['email', 'phone'] as const) {
    for (const address of addresses[kind]) {
      const result = await tx
        .deleteFrom('channel_opt_outs')
        .where('channel', 'in', [...OPT_OUT_CHANNELS[kind]])
        .where(contacts.matches('channel_opt_outs.address', address))
        .executeTakeFirst();
      count += Number(result.numDeletedRows);
    }
  }
  return count;
}

export async function eraseUser(
  db: Db,
  contacts: ContactCipher,
  subject: Subject,
  actor: UserClaims,
  tombstone: () => Promise<string[]>,
  personal: Pick<PersonalKeys, 'forget'>,
) {
  const report = await db.transaction().execute(async (tx) => {
    const deleted: Record<string, number> = { channel_opt_outs: await eraseOptOuts(tx, contacts, subject) };
    for (const t of await personalTables(tx)) {
      const result = await sql`delete from ${sql.table(t.table)} where ${whereUser(t, subject.tenant, subject.userId)}`.execute(tx);
      deleted[t.table] = Number(result.numAffectedRows ?? 0);
    }
    // Tombstoned before the commit, so the rows counted are the ones this erasure removed (a consumer
    // acting on the tombstone waits for the locks); a failure rolls the deletion back, and the request
    // can simply be repeated, both steps being idempotent.
    const topics = await tombstone();
    // destroyed: every copy of the user's contact points on Kafka is unreadable from now on.
    const key = (deleted.personal_data_keys ?? 0) > 0 ? 'destroyed' : 'none';
    await writeAudit(tx, { actor, action: 'erase', subject, detail: { deleted, tombstoned_topics: topics, personal_data_key: key } });
    return { subject: { tenant: subject.tenant, user_id: subject.userId }, deleted, tombstoned_topics: topics, personal_data_key: key };
  });
  personal.forget(subject.tenant, subject.userId);
  return report;
}
