/**
 * Push destinations the push service reported gone (Web Push 404/410, FCM UNREGISTERED, APNs 410 or
 * BadDeviceToken), and tokens that changed hands. The worker does not own recipient records (a
 * Dispatch carries the devices, not the Recipient), so it cannot publish an updated Recipient; it
 * records the removal in push_subscription_removals under the destination's key (the endpoint of a
 * browser, `<platform>:<app_id>:<token>` of an app), deletes the device row, and never dials that
 * destination for that user again. The API, which owns recipient records, leaves it out of what it
 * shows and publishes; registering it again clears the removal.
 *
 * A token registered by another user since the Recipient record was published is not dialled either:
 * the phone is theirs now (the API also republishes the previous holder's record at once).
 */
import { sql, type ContactCipher, type Db } from '@notify/db';
import { targetKey, type PushTarget } from './push-targets';

export interface Removal {
  tenant: string;
  userId: string;
  target: PushTarget;
  statusCode: number;
  reason: string;
  notificationId: string;
}

export type Undeliverable = 'gone' | 'moved';

const ENDPOINT = 'push_subscription_removals.endpoint';

/** A target as the devices table holds it: platform, app (empty for a browser) and token (a browser's endpoint). */
function deviceOf(target: PushTarget): { platform: PushTarget['platform']; app_id: string; token: string } {
  return target.platform === 'web' ? { platform: 'web', app_id: '', token: target.endpoint } : target;
}

/**
 * Endpoints and tokens are stored sealed and compared by blind index (ContactCipher); rows written
 * before encryption, which `npm run rekey` has not reached, by their clear value.
 */
export class RemovalStore {
  constructor(
    private readonly db: Db,
    private readonly contacts: ContactCipher,
  ) {}

  async record(removal: Removal): Promise<void> {
    const { target } = removal;
    const key = targetKey(target);
    const device = deviceOf(target);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_subscription_removals')
        .values({
          tenant: removal.tenant,
          user_id: removal.userId,
          endpoint: this.contacts.seal(ENDPOINT, `${removal.tenant}/${removal.userId}`, key),
          endpoint_index: this.contacts.index(ENDPOINT, key),
          status_code: removal.statusCode,
          reason: removal.reason,
          notification_id: removal.notificationId,
        })
        .onConflict((oc) => oc.columns(['tenant', 'user_id', 'endpoint_index']).doNothing())
        .execute();
      // Gone for whoever holds it now: the push service speaks of the token, not of a user.
      await trx
        .deleteFrom('devices')
        .where('platform', '=', device.platform)
        .where('app_id', '=', device.app_id)
        .where(this.contacts.matches('devices.token', device.token))
        .execute();
    });
  }

  /** Which of these targets not to dial for this user, and why; one statement. */
  async undeliverable(tenant: string, userId: string, targets: readonly PushTarget[]): Promise<Map<string, Undeliverable>> {
    if (targets.length === 0) return new Map();
    const keys = targets.map(targetKey);
    const devices = targets.map(deviceOf);
    const { rows: found } = await sql<{ key: string; kind: Undeliverable }>`
      select t.key, 'gone' as kind
      from push_subscription_removals as r
      join unnest(${keys}::text[], ${keys.map((k) => this.contacts.index(ENDPOINT, k))}::text[]) as t(key, key_index)
        on r.endpoint_index = t.key_index or (r.endpoint_index is null and r.endpoint = t.key)
      where r.tenant = ${tenant} and r.user_id = ${userId}
      union all
      select t.key, 'moved' as kind
      from devices as d
      join unnest(
        ${keys}::text[], ${devices.map((r) => r.platform)}::text[], ${devices.map((r) => r.app_id)}::text[],
        ${devices.map((r) => r.token)}::text[], ${devices.map((r) => this.contacts.index('devices.token', r.token))}::text[]
      ) as t(key, platform, app_id, token, token_index)
        on d.platform = t.platform and d.app_id = t.app_id
          and (d.token_index = t.token_index or (d.token_index is null and d.token = t.token))
      where d.tenant <> ${tenant} or d.user_id <> ${userId}`.execute(this.db);
    const result = new Map<string, Undeliverable>();
    // Gone wins over moved: a destination the push service refused is not dialled for anyone.
    for (const row of found) if (row.kind === 'gone' || !result.has(row.key)) result.set(row.key, row.kind);
    return result;
  }
}
