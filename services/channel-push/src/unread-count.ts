/**
 * The recipient's unread in-app notifications, which an app shows as its icon's badge: inbox rows
 * neither read nor archived (the inbox the API serves). One indexed count per dispatch that has app
 * devices; browsers show no badge.
 */
import { sql, type Db } from '@notify/db';

export function unreadCount(db: Db): (tenant: string, userId: string) => Promise<number> {
  return async (tenant, userId) => {
    const row = await db
      .selectFrom('inbox')
      .select(sql<string>`count(*)`.as('n'))
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .where('archived_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
}
