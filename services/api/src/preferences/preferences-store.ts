/** Postgres rows of user_preferences, the source every GET reads. */
import type { Db } from '@notify/db';
import type { ResolvedDeps } from './deps';
import { defaultPreferences, preferencesRecord, type PreferencesDocument } from './preferences-document';
import { preferencesOutgoing, sendAll } from './publish';
import { decodePreferencesDocument } from './stored-preferences';

export interface StoredPreferences {
  document: PreferencesDocument;
  updatedAt: number;
}

export async function readPreferences(db: Db, tenant: string, userId: string): Promise<StoredPreferences | null> {
  const row = await db
    .selectFrom('user_preferences')
    .select(['document', 'updated_at'])
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? { document: decodePreferencesDocument(row.document), updatedAt: row.updated_at.getTime() } : null;
}

/** Replaces the user's preferences and publishes them. */
export function replacePreferences(
  deps: ResolvedDeps,
  tenant: string,
  userId: string,
  document: PreferencesDocument,
): Promise<StoredPreferences> {
  return updatePreferences(deps, tenant, userId, () => document);
}

/**
 * The one write path of preferences: reads the current document with its row locked (a user who never
 * saved any has the defaults), applies `change`, saves the whole document and publishes the same full
 * Preferences record in the same transaction. A concurrent write of the same user waits for the lock,
 * so it is neither lost nor made from a stale copy, and the records are published in commit order.
 */
export async function updatePreferences(
  deps: ResolvedDeps,
  tenant: string,
  userId: string,
  change: (current: PreferencesDocument) => PreferencesDocument,
): Promise<StoredPreferences> {
  const updatedAt = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('user_preferences')
      .values({ tenant, user_id: userId, document: JSON.stringify(defaultPreferences()), updated_at: new Date(updatedAt) })
      .onConflict((c) => c.columns(['tenant', 'user_id']).doNothing())
      .execute();
    const row = await trx
      .selectFrom('user_preferences')
      .select('document')
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const document = change(decodePreferencesDocument(row.document));
    await trx
      .updateTable('user_preferences')
      .set({ document: JSON.stringify(document), updated_at: new Date(updatedAt) })
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .execute();
    await sendAll(deps, [preferencesOutgoing(deps, preferencesRecord(tenant, userId, document, updatedAt))]);
    return { document, updatedAt };
  });
}

/** The whole channel off: the aggregator then skips it for every event type, whatever `types` says. */
export function withChannelOff(document: PreferencesDocument, channel: string): PreferencesDocument {
  return { ...document, channels: { ...document.channels, [channel]: false } };
}
