/**
 * Reads and state changes of one user's inbox. Every query is scoped by tenant and user id, so a
 * notification of someone else is simply not found.
 */
import type { Db } from '@notify/db';
import type { StoredInboxRow } from './inbox-view';

export interface Owner {
  tenant: string;
  userId: string;
}

export interface PageQuery {
  /** Rows strictly older (smaller seq) than this cursor; null for the newest page. */
  before: string | null;
  limit: number;
  unreadOnly: boolean;
  archived: boolean;
}

export interface InboxRow extends StoredInboxRow {
  event_id: string;
}

const COLUMNS = [
  'seq',
  'notification_id',
  'event_id',
  'type',
  'severity',
  'title',
  'body',
  'data',
  'created_at',
  'read_at',
  'acknowledged_at',
  'archived_at',
] as const;

export class InboxRepository {
  constructor(private readonly db: Db) {}

  private owned(owner: Owner) {
    return this.db.selectFrom('inbox').where('tenant', '=', owner.tenant).where('user_id', '=', owner.userId);
  }

  /** Newest first. Reads one row more than asked to know whether another page follows. */
  async page(owner: Owner, q: PageQuery): Promise<{ rows: InboxRow[]; nextCursor: string | null }> {
    let query = this.owned(owner)
      .select(COLUMNS)
      .orderBy('seq', 'desc')
      .limit(q.limit + 1);
    if (q.before !== null) query = query.where('seq', '<', q.before);
    if (q.unreadOnly) query = query.where('read_at', 'is', null);
    query = q.archived ? query.where('archived_at', 'is not', null) : query.where('archived_at', 'is', null);
    const rows = await query.execute();
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    return { rows: page, nextCursor: more ? (page[page.length - 1] as InboxRow).seq : null };
  }

  /** Oldest first: what a reconnecting client missed after its cursor. */
  async after(owner: Owner, afterSeq: string, limit: number): Promise<InboxRow[]> {
    return this.owned(owner).select(COLUMNS).where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
  }

  async unreadCount(owner: Owner): Promise<number> {
    const row = await this.owned(owner)
      .where('read_at', 'is', null)
      .where('archived_at', 'is', null)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async find(owner: Owner, notificationId: string): Promise<InboxRow | undefined> {
    return this.owned(owner).select(COLUMNS).where('notification_id', '=', notificationId).executeTakeFirst();
  }

  private update(owner: Owner, notificationId: string) {
    return this.db
      .updateTable('inbox')
      .where('tenant', '=', owner.tenant)
      .where('user_id', '=', owner.userId)
      .where('notification_id', '=', notificationId);
  }

  /** Acknowledging also reads; both keep their first timestamp. */
  async acknowledge(owner: Owner, notificationId: string, at: Date): Promise<InboxRow | undefined> {
    return this.update(owner, notificationId)
      .set((eb) => ({ acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(at)), read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
      .returning(COLUMNS)
      .executeTakeFirst();
  }

  async markRead(owner: Owner, notificationId: string, at: Date): Promise<InboxRow | undefined> {
    return this.update(owner, notificationId)
      .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
      .returning(COLUMNS)
      .executeTakeFirst();
  }

  async markUnread(owner: Owner, notificationId: string): Promise<InboxRow | undefined> {
    return this.update(owner, notificationId).set({ read_at: null }).returning(COLUMNS).executeTakeFirst();
  }

  async archive(owner: Owner, notificationId: string, at: Date): Promise<InboxRow | undefined> {
    return this.update(owner, notificationId)
      .set((eb) => ({ archived_at: eb.fn.coalesce('archived_at', eb.val(at)) }))
      .returning(COLUMNS)
      .executeTakeFirst();
  }
}
