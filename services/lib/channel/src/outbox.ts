/** The sandbox outbox: what a sandbox provider would have sent, one row per notification. */
import type { ChannelOutboxTable, ContactCipher, Db, Selectable } from '@notify/db';

/** A row to record: seq and created_at are assigned by the database, the payload is stored as JSON. */
export type OutboxEntry = Omit<Selectable<ChannelOutboxTable>, 'seq' | 'created_at' | 'payload'> & { payload: Record<string, unknown> };

export class OutboxStore {
  constructor(
    private readonly db: Db,
    private readonly contacts: ContactCipher,
  ) {}

  /**
   * Idempotent by notification id: a redelivered dispatch finds its row and records nothing new. The
   * address is stored sealed, bound to the notification id.
   */
  async record(entry: OutboxEntry): Promise<string> {
    const address = this.contacts.sealNullable('channel_outbox.address', entry.notification_id, entry.address);
    const inserted = await this.db
      .insertInto('channel_outbox')
      .values({ ...entry, address, payload: JSON.stringify(entry.payload) })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .returning('seq')
      .executeTakeFirst();
    if (inserted) return inserted.seq;
    const existing = await this.db
      .selectFrom('channel_outbox')
      .select('seq')
      .where('notification_id', '=', entry.notification_id)
      .executeTakeFirstOrThrow();
    return existing.seq;
  }
}
