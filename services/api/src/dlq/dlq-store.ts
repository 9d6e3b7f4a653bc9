/**
 * Dead letters as the API keeps them: one row per notifications.dlq record of this Kafka namespace,
 * inserted idempotently by its (partition, offset), so a re-read of the topic adds nothing.
 */
import type { Db, DlqEntriesTable, Selectable } from '@notify/db';
import type { DeadLetter } from '@notify/schemas';
import type { DeadLetterSubject } from './dead-letter-subject';

const COLUMNS = [
  'id', 'notification_id', 'stage', 'code', 'reason', 'attempts', 'original_topic', 'original_partition', 'original_offset',
  'original_key', 'original', 'failed_at', 'received_at', 'replay_count', 'replayed_at', 'replayed_by',
] as const;

/** A stored dead letter without where it sat in notifications.dlq, which only de-duplicates inserts. */
export type DlqEntry = Pick<Selectable<DlqEntriesTable>, (typeof COLUMNS)[number]>;

export class DlqStore {
  constructor(private readonly db: Db, private readonly namespace: string) {}

  async insert(partition: number, offset: string, d: DeadLetter, subject: DeadLetterSubject | null): Promise<void> {
    await this.db.insertInto('dlq_entries').values({
      kafka_namespace: this.namespace, dlq_partition: partition, dlq_offset: offset, tenant: subject?.tenant ?? null, recipient: subject?.recipient ?? null,
      notification_id: d.notification_id, stage: d.stage, code: d.code, reason: d.reason, attempts: d.attempts,
      original_topic: d.original_topic, original_partition: d.original_partition, original_offset: d.original_offset,
      original_key: d.original_key, original: d.original, failed_at: new Date(d.failed_at),
    }).onConflict((oc) => oc.columns(['kafka_namespace', 'dlq_partition', 'dlq_offset']).doNothing()).execute();
  }

  /** Newest first; `before` is the last id of the previous page. */
  async page(q: { before: string | null; stage: string | null; limit: number }): Promise<{ entries: DlqEntry[]; nextCursor: string | null }> {
    let query = this.db.selectFrom('dlq_entries').select(COLUMNS).where('kafka_namespace', '=', this.namespace).orderBy('id', 'desc').limit(q.limit + 1);
    if (q.before !== null) query = query.where('id', '<', q.before);
    if (q.stage !== null) query = query.where('stage', '=', q.stage);
    const rows = await query.execute();
    const more = rows.length > q.limit;
    const entries = more ? rows.slice(0, q.limit) : rows;
    return { entries, nextCursor: more ? (entries[entries.length - 1] as DlqEntry).id : null };
  }

  async find(id: string): Promise<DlqEntry | undefined> {
    return this.db.selectFrom('dlq_entries').select(COLUMNS).where('kafka_namespace', '=', this.namespace).where('id', '=', id).executeTakeFirst();
  }

  async markReplayed(id: string, operator: string, at: Date): Promise<DlqEntry | undefined> {
    return this.db.updateTable('dlq_entries')
      .set((eb) => ({ replay_count: eb('replay_count', '+', 1), replayed_at: at, replayed_by: operator }))
      .where('kafka_namespace', '=', this.namespace).where('id', '=', id)
      .returning(COLUMNS).executeTakeFirst();
  }
}
