/**
 * Publishes the current Recipient record of users whose devices changed without a change of their
 * own (a token another user registered). Their rows are locked, stamped and published like any
 * contact change, inside the caller's transaction.
 */
import { lockContactRows, publishContactRows, writeContactRows } from '../preferences/contact-rows';
import type { ResolvedDeps } from '../preferences/deps';
import type { Tx } from '../transaction';

export async function republishUsers(
  deps: Pick<ResolvedDeps, 'contacts' | 'send' | 'codec' | 'personal'>,
  trx: Tx,
  users: ReadonlyArray<{ tenant: string; userId: string }>,
  now: number,
): Promise<void> {
  const byTenant = new Map<string, string[]>();
  for (const u of users) byTenant.set(u.tenant, [...(byTenant.get(u.tenant) ?? []), u.userId]);
  for (const [tenant, userIds] of byTenant) {
    // A user without a row never published a record that could name the device.
    const rows = [...(await lockContactRows(trx, deps.contacts, tenant, userIds, null)).values()].map((row) => ({
      ...row,
      updatedAt: Math.max(row.updatedAt, now),
    }));
    await writeContactRows(trx, deps.contacts, tenant, rows);
    await publishContactRows(deps, tenant, rows);
  }
}
