/**
 * Push subscriptions the push service reported gone (404/410). channel-push records them in
 * push_subscription_removals and never dials them again, but it does not own recipient records; the
 * API does, so it leaves them out of what it shows and drops them from the Recipient record the next
 * time it publishes one. Subscribing the same endpoint again brings it back.
 */
import type { Db } from '@notify/db';
import type { ContactsDocument } from './contacts-document';
import type { Tx } from './contacts-store';

export async function goneEndpoints(db: Db | Tx, tenant: string, userId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('push_subscription_removals').select('endpoint').where('tenant', '=', tenant).where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.endpoint));
}

export async function withoutGonePush(db: Db | Tx, tenant: string, userId: string, document: ContactsDocument): Promise<ContactsDocument> {
  if (document.push_subscriptions.length === 0) return document;
  const gone = await goneEndpoints(db, tenant, userId);
  if (gone.size === 0) return document;
  return { ...document, push_subscriptions: document.push_subscriptions.filter((s) => !gone.has(s.endpoint)) };
}

/** A fresh subscription on an endpoint that was gone: the browser subscribed again. */
export async function forgetGoneEndpoint(trx: Tx, tenant: string, userId: string, endpoint: string): Promise<void> {
  await trx.deleteFrom('push_subscription_removals').where('tenant', '=', tenant).where('user_id', '=', userId).where('endpoint', '=', endpoint).execute();
}
