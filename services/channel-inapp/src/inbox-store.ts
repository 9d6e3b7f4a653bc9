/**
 * Writes inbox rows. The notification id is unique, so a redelivered dispatch finds its row instead
 * of adding a second one; either way the caller gets the stored row back.
 */
import type { Db } from '@notify/db';

export interface InboxRow {
  seq: string;
  notification_id: string;
  tenant: string;
  user_id: string;
  event_id: string;
  type: string;
  severity: string;
  title: string;
  body: string;
  data: unknown;
  created_at: Date;
}

export class InboxStore {
  constructor(private readonly db: Db) {}

  async insert(row: Omit<InboxRow, 'seq' | 'created_at' | 'data'> & { data: Record<string, unknown> }): Promise<InboxRow> {
    const inserted = await this.db
      .insertInto('inbox')
      .values({ ...row, data: JSON.stringify(row.data) })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    return this.db.selectFrom('inbox').selectAll().where('notification_id', '=', row.notification_id).executeTakeFirstOrThrow();
  }
}
