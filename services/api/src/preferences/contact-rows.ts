/**
 * user_contacts rows of many users at once: lock, save, publish. One user's contact change, an
 * audience change of a thousand members and a record adopted from another writer all go through
 * these, so every Recipient record the API publishes is the whole saved row, published inside the
 * transaction that holds the row's lock (the topic gets one user's records in commit order).
 */
import { sql, type ContactCipher, type Selectable, type UserContactsTable } from '@notify/db';
import { plainFields, recipientRecord, type ContactsDocument } from './contacts-document';
import type { ResolvedDeps } from './deps';
import { recipientOutgoing, sendAll } from './publish';
import { decodeStoredContacts } from './stored-contacts';
import type { Tx } from '../transaction';
import { liveDevicesOf } from '../devices/device-rows';
import { withDevices } from '../devices/device-document';

export interface ContactsRow {
  userId: string;
  document: ContactsDocument;
  /** Epoch milliseconds of the change the row now reflects. */
  updatedAt: number;
  /**
   * Whether the contact points were set through this API (then records of other writers no longer
   * change them). Left as stored when undefined.
   */
  contactsFromApi?: boolean;
}

export function rowFrom(row: Selectable<UserContactsTable>, contacts: ContactCipher): Required<ContactsRow> {
  return {
    userId: row.user_id,
    document: decodeStoredContacts(row, contacts),
    updatedAt: row.updated_at.getTime(),
    contactsFromApi: row.contacts_from_api,
  };
}

/**
 * Locks the rows of `userIds` until the transaction ends; with `createAt`, missing rows are first
 * created with the defaults. Both steps go in user id order, so two writers of overlapping sets take
 * their locks in the same order and cannot deadlock each other. Each document carries the user's
 * live devices (the devices table, less what the push services reported gone), so every record
 * published from these rows names them.
 */
export async function lockContactRows(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userIds: readonly string[],
  createAt: number | null,
): Promise<Map<string, Required<ContactsRow>>> {
  const ids = [...new Set(userIds)].sort(byCodeUnits);
  if (ids.length === 0) return new Map();
  if (createAt !== null) {
    await trx
      .insertInto('user_contacts')
      .values(ids.map((id) => ({ tenant, user_id: id, updated_at: new Date(createAt) })))
      .onConflict((c) => c.columns(['tenant', 'user_id']).doNothing())
      .execute();
  }
  const rows = await trx
    .selectFrom('user_contacts')
    .selectAll()
    .where('tenant', '=', tenant)
    .where('user_id', 'in', ids)
    .orderBy(sql`user_id collate "C"`)
    .forUpdate()
    .execute();
  const devices = await liveDevicesOf(
    trx,
    contacts,
    tenant,
    rows.map((row) => row.user_id),
  );
  return new Map(
    rows.map((row) => {
      const stored = rowFrom(row, contacts);
      return [row.user_id, { ...stored, document: withDevices(stored.document, devices.get(row.user_id) ?? []) }];
    }),
  );
}

/** Saves each row whole, in one statement, its contact points sealed (bound to the row's user). */
export async function writeContactRows(trx: Tx, contacts: ContactCipher, tenant: string, rows: readonly ContactsRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => {
    const subject = `${tenant}/${r.userId}`;
    const plain = plainFields(r.document);
    return {
      user_id: r.userId,
      ...plain,
      email: contacts.sealNullable('user_contacts.email', subject, plain.email),
      phone: contacts.sealNullable('user_contacts.phone', subject, plain.phone),
      audiences: r.document.audiences,
      push_subscriptions: contacts.sealJson('user_contacts.push_subscriptions', subject, r.document.push_subscriptions),
      chat: contacts.sealJson('user_contacts.chat', subject, r.document.chat),
      opted_out: r.document.opted_out,
      updated_at: new Date(r.updatedAt).toISOString(),
      contacts_from_api: r.contactsFromApi ?? null,
    };
  });
  await sql`
    UPDATE user_contacts AS u SET
      email = v.email, email_verified = v.email_verified, phone = v.phone, phone_verified = v.phone_verified,
      timezone = v.timezone, locale = v.locale, audiences = v.audiences, push_subscriptions = v.push_subscriptions,
      chat = v.chat, opted_out = v.opted_out, updated_at = v.updated_at,
      contacts_from_api = coalesce(v.contacts_from_api, u.contacts_from_api)
    FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb) AS v(
      user_id text, email text, email_verified boolean, phone text, phone_verified boolean, timezone text, locale text,
      audiences jsonb, push_subscriptions jsonb, chat jsonb, opted_out jsonb, updated_at timestamptz, contacts_from_api boolean)
    WHERE u.tenant = ${tenant} AND u.user_id = v.user_id`.execute(trx);
}

/** Each row as its user's full Recipient record, all in one send; resolves once Kafka acknowledged every one. */
export async function publishContactRows(
  deps: Pick<ResolvedDeps, 'send' | 'codec' | 'personal'>,
  tenant: string,
  rows: readonly ContactsRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sendAll(
    deps,
    await Promise.all(rows.map((r) => recipientOutgoing(deps, recipientRecord(tenant, r.userId, r.document, r.updatedAt)))),
  );
}

/** JavaScript's string order, which is the "C" collation's for every id without characters beyond U+FFFF. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
