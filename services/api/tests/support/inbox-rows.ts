/** Inbox rows written straight to Postgres, as channel-inapp stores them. */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

export interface SeededRow {
  seq: string;
  notification_id: string;
}

export async function insertInboxRow(db: Client, tenant: string, userId: string, title = 'hello'): Promise<SeededRow> {
  const id = `ntf_${randomUUID()}`;
  const { rows } = await db.query<SeededRow>(
    `insert into inbox (notification_id, tenant, user_id, event_id, type, severity, title, body, data)
     values ($1, $2, $3, $4, 'ORDER_FILLED', 'info', $5, 'body', '{"k":1}') returning seq::text, notification_id`,
    [id, tenant, userId, `evt_${randomUUID()}`, title],
  );
  return rows[0] as SeededRow;
}
