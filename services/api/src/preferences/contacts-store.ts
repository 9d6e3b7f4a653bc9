/** Postgres rows of user_contacts, the source every GET reads, and the locked read-change-publish cycle. */
import type { Database, Db } from '@notify/db';
import type { Transaction } from 'kysely';
import type { ResolvedDeps } from './deps';
import { contactsResponse, type ContactsDocument, type ContactsView } from './contacts-document';
import { lockContactRows, publishContactRows, rowFrom, writeContactRows } from './contact-rows';
import { withoutGonePush } from './gone-push-subscriptions';
import { withProviderOptOuts } from './provider-opt-outs';

export type Tx = Transaction<Database>;

export interface StoredContacts {
  document: ContactsDocument;
  updatedAt: number;
}

export async function readContacts(db: Db, tenant: string, userId: string): Promise<StoredContacts | null> {
  const row = await db.selectFrom('user_contacts').selectAll().where('tenant', '=', tenant).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  const stored = rowFrom(row);
  return { document: await withChannelReports(db, tenant, userId, stored.document), updatedAt: stored.updatedAt };
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
  // Contact points set here are the API's from now on: records of other writers no longer change them.
  const row = { userId, document, updatedAt: now, contactsFromApi: true };
  await writeContactRows(trx, tenant, [row]);
  await publishContactRows(deps, tenant, [row]);
  return { document, updatedAt: now };
}

/**
 * The user's row, created with defaults when missing, locked until the transaction ends. Every change
 * of contact points starts here, so it is where subscriptions the push service reported gone are
 * dropped. (Audience changes and adopted records publish the row as saved: channel-push skips gone
 * endpoints itself, and the next contact change drops them from the record.)
 */
export async function lockContacts(trx: Tx, tenant: string, userId: string, now: number): Promise<StoredContacts> {
  const row = (await lockContactRows(trx, tenant, [userId], now)).get(userId);
  if (!row) throw new Error(`user_contacts row of ${tenant}/${userId} missing right after its insert`);
  return { document: await withoutGonePush(trx, tenant, userId, row.document), updatedAt: row.updatedAt };
}

/** What the channel workers learned from providers (gone push endpoints, opt-outs), applied to a stored document. */
async function withChannelReports(db: Db | Tx, tenant: string, userId: string, document: ContactsDocument): Promise<ContactsDocument> {
  return withProviderOptOuts(db, await withoutGonePush(db, tenant, userId, document));
}

export function contactsView(stored: StoredContacts): ContactsView {
  return contactsResponse(stored.document, stored.updatedAt);
}
