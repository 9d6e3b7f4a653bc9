/** Postgres rows of user_preferences, the source every GET reads. */
import type { Db } from '@notify/db';
import type { ResolvedDeps } from './deps';
import { preferencesRecord, type PreferencesDocument } from './preferences-document';
import { preferencesOutgoing, sendAll } from './publish';
import { decodePreferencesDocument } from './stored-preferences';

export interface StoredPreferences {
  document: PreferencesDocument;
  updatedAt: number;
}

export async function readPreferences(db: Db, tenant: string, userId: string): Promise<StoredPreferences | null> {
  const row = await db.selectFrom('user_preferences').select(['document', 'updated_at'])
    .where('tenant', '=', tenant).where('user_id', '=', userId).executeTakeFirst();
  return row ? { document: decodePreferencesDocument(row.document), updatedAt: row.updated_at.getTime() } : null;
}

/**
 * Replaces the user's preferences and publishes them. The upsert holds the row lock until commit, so
 * a concurrent write of the same user waits and then publishes after this one.
 */
export async function replacePreferences(deps: ResolvedDeps, tenant: string, userId: string, document: PreferencesDocument): Promise<StoredPreferences> {
  const updatedAt = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('user_preferences')
      .values({ tenant, user_id: userId, document: JSON.stringify(document), updated_at: new Date(updatedAt) })
      .onConflict((c) => c.columns(['tenant', 'user_id']).doUpdateSet((eb) => ({ document: eb.ref('excluded.document'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
    await sendAll(deps, [preferencesOutgoing(deps, preferencesRecord(tenant, userId, document, updatedAt))]);
  });
  return { document, updatedAt };
}
