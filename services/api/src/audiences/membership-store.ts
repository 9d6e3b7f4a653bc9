/**
 * Audience membership, kept where the API keeps everything it publishes about a user: the `audiences`
 * list of the user's user_contacts row. A change locks the rows, saves them and publishes each
 * changed user's full Recipient record in the same transaction, so the record carries the user's
 * contact points and every other membership too. Reads go to contact_audiences, the index a trigger
 * keeps of those lists (migration 0011).
 */
import type { Db } from '@notify/db';
import { lockContactRows, publishContactRows, writeContactRows, type ContactsRow } from '../preferences/contact-rows';
import type { ResolvedDeps } from '../preferences/deps';

export type MembershipDeps = Pick<ResolvedDeps, 'db' | 'contacts' | 'send' | 'codec' | 'clock' | 'personal'>;

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: string | null;
}

/**
 * Makes every user of `userIds` a member (users the API never saw get a row with default contacts)
 * and resolves with those who were not members before.
 */
export function addMembers(deps: MembershipDeps, tenant: string, audience: string, userIds: readonly string[]): Promise<string[]> {
  return changeMembers(deps, tenant, userIds, true, (audiences) => (audiences.includes(audience) ? null : [...audiences, audience]));
}

/** Takes every user of `userIds` out of the audience and resolves with those who were members. */
export function removeMembers(deps: MembershipDeps, tenant: string, audience: string, userIds: readonly string[]): Promise<string[]> {
  return changeMembers(deps, tenant, userIds, false, (audiences) =>
    audiences.includes(audience) ? audiences.filter((a) => a !== audience) : null,
  );
}

/** `change` answers a user's new list, or null to leave the user alone. */
async function changeMembers(
  deps: MembershipDeps,
  tenant: string,
  userIds: readonly string[],
  createMissing: boolean,
  change: (audiences: readonly string[]) => string[] | null,
): Promise<string[]> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const rows = await lockContactRows(trx, deps.contacts, tenant, userIds, createMissing ? now : null);
    const changed: ContactsRow[] = [];
    for (const row of rows.values()) {
      const audiences = change(row.document.audiences);
      if (audiences) changed.push({ userId: row.userId, document: { ...row.document, audiences }, updatedAt: now });
    }
    await writeContactRows(trx, deps.contacts, tenant, changed);
    await publishContactRows(deps, tenant, changed);
    return changed.map((r) => r.userId);
  });
}

/** Members in user id order after `after` (exclusive), each page a range scan of the index. */
export async function memberPage(db: Db, tenant: string, audience: string, after: string | null, limit: number): Promise<Page<string>> {
  let query = db.selectFrom('contact_audiences').select('user_id').where('tenant', '=', tenant).where('audience', '=', audience);
  if (after !== null) query = query.where('user_id', '>', after);
  const rows = await query
    .orderBy('user_id')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => r.user_id);
  return { items, next: rows.length > limit ? (items[items.length - 1] ?? null) : null };
}

/** The tenant's audiences in name order after `after`, with their member counts. */
export async function audiencePage(
  db: Db,
  tenant: string,
  after: string | null,
  limit: number,
): Promise<Page<{ audience: string; members: number }>> {
  let query = db
    .selectFrom('contact_audiences')
    .select((eb) => ['audience', eb.fn.countAll<string>().as('members')])
    .where('tenant', '=', tenant);
  if (after !== null) query = query.where('audience', '>', after);
  const rows = await query
    .groupBy('audience')
    .orderBy('audience')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => ({ audience: r.audience, members: Number(r.members) }));
  return { items, next: rows.length > limit ? (items[items.length - 1]?.audience ?? null) : null };
}
