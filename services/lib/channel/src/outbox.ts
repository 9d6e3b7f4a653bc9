/** The sandbox outbox: what a sandbox provider would have sent, one row per notification. */
import type { Db } from '@notify/db';

export interface OutboxEntry {
  notification_id: string;
  channel: string;
  tenant: string;
  address: string | null;
  subject: string;
  body: string;
  html: string | null;
  payload: Record<string, unknown>;
}

export class OutboxStore {
  constructor(private readonly db: Db) {}

  /** Idempotent by notification id: a redelivered dispatch finds its row and records nothing new. */
  async record(entry: OutboxEntry): Promise<string> {
    const inserted = await this.db
      .insertInto('channel_outbox')
      .values({ ...entry, payload: JSON.stringify(entry.payload) })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (inserted) return inserted.seq;
    const existing = await this.db.selectFrom('channel_outbox').select('seq').where('notification_id', '=', entry.notification_id).executeTakeFirstOrThrow();
    return existing.seq;
  }
}
