/**
 * Dead letters as the API keeps them: one row per notifications.dlq record of this Kafka namespace,
 * inserted idempotently by its (partition, offset), so a re-read of the topic adds nothing. Reads
 * take the tenant they are scoped to (null: every tenant); a dead letter whose tenant could not be
 * read from its record belongs to no tenant and is seen only across tenants.
 */
import type { Db, DlqEntriesTable, Selectable } from '@notify/db';
import type { DeadLetter } from '@notify/schemas';
import type { DeadLetterSubject } from './dead-letter-subject';
import type { ReplayFilter } from './replay-filter';

const COLUMNS = [
  'id',
  'tenant',
  'notification_id',
  'stage',
  'code',
  'reason',
  'attempts',
  'original_topic',
  'original_partition',
  'original_offset',
  'original_key',
  'original',
  'failed_at',
  'received_at',
  'replay_count',
  'replayed_at',
  'replayed_by',
] as const;

/** A stored dead letter without where it sat in notifications.dlq, which only de-duplicates inserts. */
export type DlqEntry = Pick<Selectable<DlqEntriesTable>, (typeof COLUMNS)[number]>;

export interface ReplayMark {
  /** Replay an entry replayed before. */
  force: boolean;
  operator: string;
  at: Date;
  /** The replay number the original already carries (a dead letter of a replay), which this replay must exceed. */
  after: number;
}

export type ReplayOutcome =
  { kind: 'replayed'; entry: DlqEntry; replay: number } | { kind: 'already_replayed'; entry: DlqEntry } | { kind: 'not_found' };

export class DlqStore {
  constructor(
    private readonly db: Db,
    private readonly namespace: string,
  ) {}

  async insert(partition: number, offset: string, d: DeadLetter, subject: DeadLetterSubject | null): Promise<void> {
    await this.db
      .insertInto('dlq_entries')
      .values({
        kafka_namespace: this.namespace,
        dlq_partition: partition,
        dlq_offset: offset,
        tenant: subject?.tenant ?? null,
        recipient: subject?.recipient ?? null,
        notification_id: d.notification_id,
        stage: d.stage,
        code: d.code,
        reason: d.reason,
        attempts: d.attempts,
        original_topic: d.original_topic,
        original_partition: d.original_partition,
        original_offset: d.original_offset,
        original_key: d.original_key,
        original: d.original,
        failed_at: new Date(d.failed_at),
      })
      .onConflict((oc) => oc.columns(['kafka_namespace', 'dlq_partition', 'dlq_offset']).doNothing())
      .execute();
  }

  /** Newest first; `before` is the last id of the previous page. */
  private scoped(tenant: string | null) {
    const query = this.db.selectFrom('dlq_entries').select(COLUMNS).where('kafka_namespace', '=', this.namespace);
    return tenant === null ? query : query.where('tenant', '=', tenant);
  }

  async page(q: {
    tenant: string | null;
    before: string | null;
    stage: string | null;
    limit: number;
  }): Promise<{ entries: DlqEntry[]; nextCursor: string | null }> {
    let query = this.scoped(q.tenant)
      .orderBy('id', 'desc')
      .limit(q.limit + 1);
    if (q.before !== null) query = query.where('id', '<', q.before);
    if (q.stage !== null) query = query.where('stage', '=', q.stage);
    const rows = await query.execute();
    const more = rows.length > q.limit;
    const entries = more ? rows.slice(0, q.limit) : rows;
    return { entries, nextCursor: more ? (entries[entries.length - 1] as DlqEntry).id : null };
  }

  async find(id: string, tenant: string | null): Promise<DlqEntry | undefined> {
    return this.scoped(tenant).where('id', '=', id).executeTakeFirst();
  }

  /** Oldest first, so repeated calls with a limit work through a backlog in the order it failed. */
  async selectForReplay(f: ReplayFilter, tenant: string | null): Promise<DlqEntry[]> {
    let query = this.scoped(tenant).orderBy('id', 'asc').limit(f.limit);
    if (f.stage !== null) query = query.where('stage', '=', f.stage);
    if (f.code !== null) query = query.where('code', '=', f.code);
    if (f.from !== null) query = query.where('failed_at', '>=', f.from);
    if (f.to !== null) query = query.where('failed_at', '<', f.to);
    if (!f.force) query = query.where('replay_count', '=', 0);
    return query.execute();
  }

  /**
   * Numbers the replay and marks the entry replayed around `publish`, in one transaction: a publish
   * that fails leaves the entry as it was, and two operators replaying the same notification at once
   * are serialised. Replays are numbered per notification across all its dead letters (a replay that
   * fails again files a new one), so the n-th replay of a notification is n whichever entry it came from.
   */
  async replay(id: string, mark: ReplayMark, publish: (replay: number) => Promise<void>): Promise<ReplayOutcome> {
    const found = await this.find(id, null);
    if (!found) return { kind: 'not_found' };
    return this.db.transaction().execute(async (tx) => {
      let siblings = tx.selectFrom('dlq_entries').select(COLUMNS).where('kafka_namespace', '=', this.namespace);
      siblings =
        found.notification_id === null
          ? siblings.where('id', '=', id)
          : siblings.where((eb) => eb.or([eb('id', '=', id), eb('notification_id', '=', found.notification_id)]));
      // One statement in id order locks them all, so concurrent replays queue instead of deadlocking.
      const locked = await siblings.orderBy('id').forUpdate().execute();
      const entry = locked.find((e) => e.id === id);
      if (!entry) return { kind: 'not_found' };
      if (entry.replay_count > 0 && !mark.force) return { kind: 'already_replayed', entry };
      const replay =
        Math.max(
          mark.after,
          locked.reduce((sum, e) => sum + e.replay_count, 0),
        ) + 1;
      await publish(replay);
      const updated = await tx
        .updateTable('dlq_entries')
        .set((eb) => ({ replay_count: eb('replay_count', '+', 1), replayed_at: mark.at, replayed_by: mark.operator }))
        .where('kafka_namespace', '=', this.namespace)
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return { kind: 'replayed', entry: updated, replay };
    });
  }
}
