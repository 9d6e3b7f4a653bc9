/**
 * Subscriptions the push service reported gone (404/410). The worker does not own recipient records
 * (a Dispatch carries the subscription, not the Recipient), so it cannot publish an updated Recipient;
 * it records the removal here, never dials a removed endpoint again, and the owner of recipient records
 * (api) can drop it from `notifications.recipients`.
 */
import type { Db } from '@notify/db';

export interface Removal {
  tenant: string;
  userId: string;
  endpoint: string;
  statusCode: number;
  reason: string;
  notificationId: string;
}

export class RemovalStore {
  constructor(private readonly db: Db) {}

  async record(removal: Removal): Promise<void> {
    await this.db
      .insertInto('push_subscription_removals')
      .values({ tenant: removal.tenant, user_id: removal.userId, endpoint: removal.endpoint, status_code: removal.statusCode, reason: removal.reason, notification_id: removal.notificationId })
      .onConflict((oc) => oc.columns(['tenant', 'user_id', 'endpoint']).doNothing())
      .execute();
  }

  /** Which of these endpoints were removed for this user. */
  async removedAmong(tenant: string, userId: string, endpoints: readonly string[]): Promise<Set<string>> {
    if (endpoints.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('push_subscription_removals')
      .select('endpoint')
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .where('endpoint', 'in', endpoints)
      .execute();
    return new Set(rows.map((r) => r.endpoint));
  }
}
