/** Postgres rows of user_contacts, the source every GET reads, and the locked read-change-publish cycle. */
import type { ContactCipher, Db } from '@notify/db';
import type { Tx } from '../transaction';
import type { ResolvedDeps } from './deps';
import { contactsResponse, type ContactsDocument, type ContactsView } from './contacts-document';
import { lockContactRows, publishContactRows, rowFrom, writeContactRows } from './contact-rows';
import { withProviderOptOuts } from './provider-opt-outs';
import { liveDevicesOf, type DeviceRow } from '../devices/device-rows';
import { withDevices } from '../devices/device-document';

export interface StoredContacts {
  document: ContactsDocument;
  updatedAt: number;
  /** The device rows behind document.push_subscriptions and document.devices. */
  devices: DeviceRow[];
}

export async function readContacts(db: Db, contacts: ContactCipher, tenant: string, userId: string): Promise<StoredContacts | null> {
  const row = await db
    .selectFrom('user_contacts')
    .selectAll()
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return null;
  const stored = rowFrom(row, contacts);
  const devices = (await liveDevicesOf(db, contacts, tenant, [userId])).get(userId) ?? [];
  return { document: await withProviderOptOuts(db, contacts, withDevices(stored.document, devices)), updatedAt: stored.updatedAt, devices };
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
    const current = await lockContacts(trx, deps.contacts, tenant, userId, now);
    const document = await change(current.document, trx);
    return saveAndPublishContacts(deps, trx, tenant, userId, document, now);
  });
}

/**
 * Writes the row locked by lockContacts and publishes the full record; the caller commits afterwards.
 * Provider opt-outs are looked up for the addresses being saved, so a changed phone number carries its
 * own opt-outs, not the old number's. Devices are read again from their table, where a change may
 * have registered or removed one in this transaction.
 */
export async function saveAndPublishContacts(
  deps: ResolvedDeps,
  trx: Tx,
  tenant: string,
  userId: string,
  changed: ContactsDocument,
  now: number,
): Promise<StoredContacts> {
  const devices = (await liveDevicesOf(trx, deps.contacts, tenant, [userId])).get(userId) ?? [];
  const document = await withProviderOptOuts(trx, deps.contacts, withDevices(changed, devices));
  // Contact points set here are the API's from now on: records of other writers no longer change them.
  const row = { userId, document, updatedAt: now, contactsFromApi: true };
  await writeContactRows(trx, deps.contacts, tenant, [row]);
  await publishContactRows(deps, tenant, [row]);
  return { document, updatedAt: now, devices };
}

/** The user's row, created with defaults when missing, locked until the transaction ends; its devices read with it. */
export async function lockContacts(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userId: string,
  now: number,
): Promise<Omit<StoredContacts, 'devices'>> {
  const row = (await lockContactRows(trx, contacts, tenant, [userId], now)).get(userId);
  if (!row) throw new Error(`user_contacts row of ${tenant}/${userId} missing right after its insert`);
  return { document: row.document, updatedAt: row.updatedAt };
}

export function contactsView(stored: StoredContacts): ContactsView {
  return contactsResponse(stored.document, stored.updatedAt, stored.devices);
}
