/**
 * Registering a device inside the caller's locked contact change: the per-user limit, the upsert, and
 * the handover when the token was another user's. That user's Recipient record is published again
 * at once, in the same transaction, so the aggregator stops addressing their notifications to a
 * phone someone else now signs in on (channel-push also refuses a token that changed hands; see
 * services/channel-push/src/removal-store.ts).
 */
import type { ResolvedDeps } from '../preferences/deps';
import type { Tx } from '../transaction';
import { Refusal } from '../preferences/refusal';
import { countDevices, forgetGone, holderOf, upsertDevice, type DeviceRegistration, type DeviceRow } from './device-rows';
import { republishUsers } from './republish-users';

export interface DeviceLimit {
  max: number;
  /** Counted among the user's devices of this platform only (the Web Push routes' own limit). */
  platform?: DeviceRegistration['platform'];
  code: string;
  message: string;
}

export async function registerDevice(
  deps: ResolvedDeps,
  trx: Tx,
  user: { tenant: string; userId: string },
  device: DeviceRegistration,
  limit: DeviceLimit,
): Promise<{ row: DeviceRow; created: boolean }> {
  const holder = await holderOf(trx, deps.contacts, device);
  const mine = holder !== undefined && holder.tenant === user.tenant && holder.user_id === user.userId;
  if (!mine && (await countDevices(trx, user.tenant, user.userId, limit.platform)) >= limit.max)
    throw new Refusal(409, limit.code, limit.message);
  const row = await upsertDevice(trx, deps.contacts, user.tenant, user.userId, device);
  await forgetGone(trx, deps.contacts, user.tenant, user.userId, device);
  if (holder && !mine) await republishUsers(deps, trx, [{ tenant: holder.tenant, userId: holder.user_id }], deps.clock());
  return { row, created: !mine };
}
