/**
 * A change to part of a user's preferences made by someone other than the user's own PUT (the
 * unsubscribe link). It ends the way a PUT does, saving the whole document and publishing the same
 * full Preferences record in the same transaction, but reads the current document with its row
 * locked first, so a concurrent PUT is neither lost nor overwritten with a stale copy.
 */
import type { ResolvedDeps } from './deps';
import { defaultPreferences, preferencesRecord, type PreferencesDocument } from './preferences-document';
import type { StoredPreferences } from './preferences-store';
import { preferencesOutgoing, sendAll } from './publish';
import { decodePreferencesDocument } from './stored-preferences';

export async function updatePreferences(
  deps: ResolvedDeps,
  tenant: string,
  userId: string,
  change: (current: PreferencesDocument) => PreferencesDocument,
): Promise<StoredPreferences> {
  const updatedAt = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    // A user who never saved preferences has the defaults; the row exists from here on so it can be locked.
    await trx.insertInto('user_preferences')
      .values({ tenant, user_id: userId, document: JSON.stringify(defaultPreferences()), updated_at: new Date(updatedAt) })
      .onConflict((c) => c.columns(['tenant', 'user_id']).doNothing())
      .execute();
    const row = await trx.selectFrom('user_preferences').select('document')
      .where('tenant', '=', tenant).where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
    const document = change(decodePreferencesDocument(row.document));
    await trx.updateTable('user_preferences').set({ document: JSON.stringify(document), updated_at: new Date(updatedAt) })
      .where('tenant', '=', tenant).where('user_id', '=', userId).execute();
    await sendAll(deps, [preferencesOutgoing(deps, preferencesRecord(tenant, userId, document, updatedAt))]);
    return { document, updatedAt };
  });
}

/** The whole channel off: the aggregator then skips it for every event type, whatever `types` says. */
export function withChannelOff(document: PreferencesDocument, channel: string): PreferencesDocument {
  return { ...document, channels: { ...document.channels, [channel]: false } };
}
