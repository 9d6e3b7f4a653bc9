/**
 * The devices table as the API uses it: the live devices of some users, registering (which takes a
 * token over from whoever held it), removing, and replacing a user's whole set (a record adopted
 * from another writer). Timestamps are the database's clock: registrations of one user are ordered
 * by when they happened, whatever the API's injected clock says.
 *
 * Tokens and browser keys are stored sealed, bound to the holder (`<tenant>/<user_id>`), and found by
 * token_index; the rows these functions return hold them opened.
 */
import { sql, type ContactCipher, type Db, type DevicesTable, type Selectable } from '@notify/db';
import { pushTargetKey, type PushPlatform } from '@notify/schemas';
import type { Tx } from '../transaction';

export type DeviceRow = Selectable<DevicesTable>;

export interface DeviceRegistration {
  platform: PushPlatform;
  /** Bundle id (iOS), package name (Android); empty for browsers. */
  app_id: string;
  /** FCM or APNs token, or the Web Push endpoint. */
  token: string;
  /** A browser's keys; null for native apps. */
  subscription: { p256dh: string; auth: string } | null;
  locale: string | null;
}

type Executor = Db | Tx;

/** A stored row with its token and keys opened. */
function opened(contacts: ContactCipher, row: DeviceRow): DeviceRow {
  const holder = `${row.tenant}/${row.user_id}`;
  return {
    ...row,
    token: contacts.open('devices.token', holder, row.token),
    subscription: row.subscription === null ? null : contacts.openJson('devices.subscription', holder, row.subscription),
  };
}

/**
 * The devices of these users, oldest registration first, without those whose destination the push
 * service reported gone (channel-push deletes those rows too; this covers a row it has not reached).
 */
export async function liveDevicesOf(
  db: Executor,
  contacts: ContactCipher,
  tenant: string,
  userIds: readonly string[],
): Promise<Map<string, DeviceRow[]>> {
  const byUser = new Map<string, DeviceRow[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('devices')
    .selectAll()
    .where('tenant', '=', tenant)
    .where('user_id', 'in', [...userIds])
    .orderBy('last_seen_at')
    .orderBy('device_id')
    .execute();
  if (rows.length === 0) return byUser;
  const gone = await db
    .selectFrom('push_subscription_removals')
    .select(['user_id', 'endpoint', 'endpoint_index'])
    .where('tenant', '=', tenant)
    .where('user_id', 'in', [...new Set(rows.map((r) => r.user_id))])
    .execute();
  // Removals are compared by blind index; one rekey has not reached yet by its clear endpoint.
  const goneKeys = new Set(gone.map((g) => `${g.user_id}\n${g.endpoint_index ?? `clear:${g.endpoint}`}`));
  for (const row of rows.map((r) => opened(contacts, r))) {
    const key = pushTargetKey(row);
    const isGone =
      goneKeys.has(`${row.user_id}\n${contacts.index('push_subscription_removals.endpoint', key)}`) ||
      goneKeys.has(`${row.user_id}\nclear:${key}`);
    if (!isGone) byUser.get(row.user_id)?.push(row);
  }
  return byUser;
}

export async function countDevices(trx: Tx, tenant: string, userId: string, platform?: PushPlatform): Promise<number> {
  let query = trx
    .selectFrom('devices')
    .select(sql<string>`count(*)`.as('n'))
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId);
  if (platform) query = query.where('platform', '=', platform);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Who holds this token now, if anyone; the row is locked until the transaction ends. */
export async function holderOf(
  trx: Tx,
  contacts: ContactCipher,
  device: Pick<DeviceRegistration, 'platform' | 'app_id' | 'token'>,
): Promise<DeviceRow | undefined> {
  const row = await trx
    .selectFrom('devices')
    .selectAll()
    .where('platform', '=', device.platform)
    .where('app_id', '=', device.app_id)
    .where(contacts.matches('devices.token', device.token))
    .forUpdate()
    .executeTakeFirst();
  return row && opened(contacts, row);
}

/**
 * Registers the device for the user, or refreshes it (keys, locale, last seen). A token another user
 * held becomes this user's: one app install has one token, and it now belongs to whoever signed in.
 */
export async function upsertDevice(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userId: string,
  device: DeviceRegistration,
): Promise<DeviceRow> {
  const holder = `${tenant}/${userId}`;
  const tokenIndex = contacts.index('devices.token', device.token);
  const token = contacts.seal('devices.token', holder, device.token);
  const subscription =
    device.subscription === null ? null : JSON.stringify(contacts.sealJson('devices.subscription', holder, device.subscription));
  // A row of this token written before encryption gets its index, so the upsert below finds it.
  await trx
    .updateTable('devices')
    .set({ token_index: tokenIndex })
    .where('platform', '=', device.platform)
    .where('app_id', '=', device.app_id)
    .where('token_index', 'is', null)
    .where('token', '=', device.token)
    .execute();
  const row = await trx
    .insertInto('devices')
    .values({
      tenant,
      user_id: userId,
      platform: device.platform,
      app_id: device.app_id,
      token,
      token_index: tokenIndex,
      subscription,
      locale: device.locale,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'app_id', 'token_index']).doUpdateSet({
        tenant,
        user_id: userId,
        token,
        subscription,
        locale: device.locale,
        last_seen_at: sql`clock_timestamp()`,
        // A device that changes hands is a new registration for its new owner.
        created_at: sql`case when devices.tenant = ${tenant} and devices.user_id = ${userId} then devices.created_at else clock_timestamp() end`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return opened(contacts, row);
}

/** The user registered this destination again: an earlier "gone" report of it no longer holds. */
export async function forgetGone(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userId: string,
  device: Pick<DeviceRegistration, 'platform' | 'app_id' | 'token'>,
): Promise<void> {
  await trx
    .deleteFrom('push_subscription_removals')
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .where(contacts.matches('push_subscription_removals.endpoint', pushTargetKey(device)))
    .execute();
}

/** Deletes the user's device by id or, for the Web Push routes, by endpoint; the rows deleted. */
export async function deleteDevices(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userId: string,
  which: { deviceId: string } | { endpoint: string },
): Promise<number> {
  let query = trx.deleteFrom('devices').where('tenant', '=', tenant).where('user_id', '=', userId);
  query =
    'deviceId' in which
      ? query.where('device_id', '=', which.deviceId)
      : query.where('platform', '=', 'web').where(contacts.matches('devices.token', which.endpoint));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Makes the user's devices exactly `devices` (a record adopted from another writer): others are
 * deleted, these registered; a destination reported gone stays hidden. Returns the users who held
 * any of these tokens before.
 */
export async function replaceDevices(
  trx: Tx,
  contacts: ContactCipher,
  tenant: string,
  userId: string,
  devices: readonly DeviceRegistration[],
): Promise<Array<{ tenant: string; userId: string }>> {
  const keep = new Set(devices.map((d) => pushTargetKey(d)));
  const current = await trx
    .selectFrom('devices')
    .select(['device_id', 'platform', 'app_id', 'token'])
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .execute();
  const holder = `${tenant}/${userId}`;
  const drop = current
    .filter((d) => !keep.has(pushTargetKey({ ...d, token: contacts.open('devices.token', holder, d.token) })))
    .map((d) => d.device_id);
  if (drop.length > 0) await trx.deleteFrom('devices').where('device_id', 'in', drop).execute();
  const previous: Array<{ tenant: string; userId: string }> = [];
  for (const device of devices) {
    const held = await holderOf(trx, contacts, device);
    if (held && (held.tenant !== tenant || held.user_id !== userId)) previous.push({ tenant: held.tenant, userId: held.user_id });
    await upsertDevice(trx, contacts, tenant, userId, device);
  }
  return previous;
}
