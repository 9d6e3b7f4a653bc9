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
import { sql, type Db } from '@notify/db';
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

export class RemovalStore {
  constructor(private readonly db: Db) {}

  async record(removal: Removal): Promise<void> {
    const { target } = removal;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_subscription_removals')
        .values({
          tenant: removal.tenant,
          user_id: removal.userId,
          endpoint: targetKey(target),
          status_code: removal.statusCode,
          reason: removal.reason,
          notification_id: removal.notificationId,
        })
        .onConflict((oc) => oc.columns(['tenant', 'user_id', 'endpoint']).doNothing())
        .execute();
      // Gone for whoever holds it now: the push service speaks of the token, not of a user.
      await trx
        .deleteFrom('devices')
        .where('platform', '=', target.platform)
        .where('app_id', '=', target.platform === 'web' ? '' : target.app_id)
        .where('token', '=', target.platform === 'web' ? target.endpoint : target.token)
        .execute();
    });
  }

  /** Which of these targets not to dial for this user, and why; one statement. */
  async undeliverable(tenant: string, userId: string, targets: readonly PushTarget[]): Promise<Map<string, Undeliverable>> {
    if (targets.length === 0) return new Map();
    const rows = targets.map((t) =>
      t.platform === 'web'
        ? { platform: 'web', app_id: '', token: t.endpoint }
        : { platform: t.platform, app_id: t.app_id, token: t.token },
    );
    const { rows: found } = await sql<{ key: string | null; platform: string | null; app_id: string | null; token: string | null }>`
      select endpoint as key, null as platform, null as app_id, null as token
      from push_subscription_removals
      where tenant = ${tenant} and user_id = ${userId} and endpoint = any(${targets.map(targetKey)}::text[])
      union all
      select null, d.platform, d.app_id, d.token
      from devices as d
      join unnest(${rows.map((r) => r.platform)}::text[], ${rows.map((r) => r.app_id)}::text[], ${rows.map((r) => r.token)}::text[]) as t(platform, app_id, token)
        on d.platform = t.platform and d.app_id = t.app_id and d.token = t.token
      where d.tenant <> ${tenant} or d.user_id <> ${userId}`.execute(this.db);
    const byKey = new Map(
      targets.map((t) => [t.platform === 'web' ? `web\n\n${t.endpoint}` : `${t.platform}\n${t.app_id}\n${t.token}`, targetKey(t)]),
    );
    const result = new Map<string, Undeliverable>();
    for (const row of found) {
      if (row.key !== null) result.set(row.key, 'gone');
      else {
        const key = byKey.get(`${row.platform}\n${row.app_id}\n${row.token}`);
        if (key !== undefined && !result.has(key)) result.set(key, 'moved');
      }
    }
    return result;
  }
}
