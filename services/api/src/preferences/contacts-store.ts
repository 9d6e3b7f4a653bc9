/** Postgres rows of user_contacts, the source every GET reads, and the locked read-change-publish cycle. */
import type { Database, Db, Selectable, UserContactsTable } from '@notify/db';
import type { Transaction } from 'kysely';
import type { ResolvedDeps } from './deps';
import { contactsResponse, plainFields, recipientRecord, type ContactsDocument, type ContactsView } from './contacts-document';
import { withoutGonePush } from './gone-push-subscriptions';
import { withProviderOptOuts } from './provider-opt-outs';
import { decodeStoredContacts } from './stored-contacts';
import { recipientOutgoing, sendAll } from './publish';

export type Tx = Transaction<Database>;

export interface StoredContacts {
  document: ContactsDocument;
  updatedAt: number;
}

export async function readContacts(db: Db, tenant: string, userId: string): Promise<StoredContacts | null> {
  const row = await db.selectFrom('user_contacts').selectAll().where('tenant', '=', tenant).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  const stored = fromRow(row);
  return { ...stored, document: await withChannelReports(db, tenant, userId, stored.document) };
}

/**
 * Runs `change` on the user's current contacts with their row locked, saves the result and publishes
 * the full Recipient record, committing only once Kafka acknowledged it. `change` may do more in the
 * same transaction (the phone verification does) and may throw a Refusal to undo everything.
 */
export async function updateContacts(
  deps: ResolvedDeps,
  tenant: string,
  userId: string,
  change: (current: ContactsDocument, trx: Tx) => Promise<ContactsDocument> | ContactsDocument,
): Promise<StoredContacts> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const current = await lockContacts(trx, tenant, userId, now);
    const document = await change(current.document, trx);
    return saveAndPublishContacts(deps, trx, tenant, userId, document, now);
  });
}

/**
 * Writes the row locked by lockContacts and publishes the full record; the caller commits afterwards.
 * Provider opt-outs are looked up for the addresses being saved, so a changed phone number carries its
 * own opt-outs, not the old number's.
 */
export async function saveAndPublishContacts(deps: ResolvedDeps, trx: Tx, tenant: string, userId: string, changed: ContactsDocument, now: number): Promise<StoredContacts> {
  const document = await withProviderOptOuts(trx, changed);
  await trx.updateTable('user_contacts').set(toColumns(document, now)).where('tenant', '=', tenant).where('user_id', '=', userId).execute();
  await sendAll(deps, [recipientOutgoing(deps, recipientRecord(tenant, userId, document, now))]);
  return { document, updatedAt: now };
}

/**
 * The user's row, created with defaults when missing, locked until the transaction ends. Every
 * publish starts here, so it is where subscriptions the push service reported gone are dropped.
 */
export async function lockContacts(trx: Tx, tenant: string, userId: string, now: number): Promise<StoredContacts> {
  await trx.insertInto('user_contacts').values({ tenant, user_id: userId, updated_at: new Date(now) })
    .onConflict((c) => c.columns(['tenant', 'user_id']).doNothing()).execute();
  const row = await trx.selectFrom('user_contacts').selectAll().where('tenant', '=', tenant).where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  const stored = fromRow(row);
  return { ...stored, document: await withoutGonePush(trx, tenant, userId, stored.document) };
}

/** What the channel workers learned from providers (gone push endpoints, opt-outs), applied to a stored document. */
async function withChannelReports(db: Db | Tx, tenant: string, userId: string, document: ContactsDocument): Promise<ContactsDocument> {
  return withProviderOptOuts(db, await withoutGonePush(db, tenant, userId, document));
}

function fromRow(row: Selectable<UserContactsTable>): StoredContacts {
  return { document: decodeStoredContacts(row), updatedAt: row.updated_at.getTime() };
}

function toColumns(document: ContactsDocument, now: number) {
  return {
    ...plainFields(document),
    audiences: JSON.stringify(document.audiences),
    push_subscriptions: JSON.stringify(document.push_subscriptions),
    chat: JSON.stringify(document.chat),
    opted_out: JSON.stringify(document.opted_out),
    updated_at: new Date(now),
  };
}

export function contactsView(stored: StoredContacts): ContactsView {
  return contactsResponse(stored.document, stored.updatedAt);
}
