/**
 * Writes inbox rows. The notification id is unique, so a redelivered dispatch finds its row instead
 * of adding a second one; either way the caller gets the stored row back. Rows inserted by concurrent
 * handlers in one turn of the event loop go in one statement (TickBatcher).
 */
import { firstByKey, TickBatcher, type Db, type InboxTable, type Selectable } from '@notify/db';

/** A stored row as this service sees it: reading, acknowledging and archiving belong to the API. */
export type InboxRow = Omit<Selectable<InboxTable>, 'read_at' | 'acknowledged_at' | 'archived_at'>;

export type NewInboxRow = Omit<InboxRow, 'seq' | 'created_at' | 'data'> & { data: Record<string, unknown> };

export class InboxStore {
  private readonly inserts: TickBatcher<NewInboxRow, InboxRow>;

  constructor(private readonly db: Db) {
    this.inserts = new TickBatcher((rows) => this.insertAll(rows));
  }

  insert(row: NewInboxRow): Promise<InboxRow> {
    return this.inserts.call(row);
  }

  private async insertAll(rows: readonly NewInboxRow[]): Promise<InboxRow[]> {
    const distinct = firstByKey(rows, (row) => row.notification_id);
    const stored = new Map<string, InboxRow>();
    const inserted = await this.db
      .insertInto('inbox')
      .values([...distinct.values()].map((row) => ({ ...row, data: JSON.stringify(row.data) })))
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .returningAll()
      .execute();
    for (const row of inserted) stored.set(row.notification_id, row);
    const missing = [...distinct.keys()].filter((id) => !stored.has(id));
    if (missing.length > 0) {
      for (const row of await this.db.selectFrom('inbox').selectAll().where('notification_id', 'in', missing).execute())
        stored.set(row.notification_id, row);
    }
    return rows.map((row) => {
      const found = stored.get(row.notification_id);
      if (!found) throw new Error(`inbox row ${row.notification_id} was neither inserted nor found`);
      return found;
    });
  }
}
