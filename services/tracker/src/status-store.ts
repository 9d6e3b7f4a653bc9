/**
 * Writes one chunk of statuses: one multi-row INSERT into delivery_status_events and one into
 * delivery_summary, in one transaction. Both upsert, so a redelivered chunk changes nothing.
 */
import { sql, type Db } from '@notify/db';
import type { DeliveryStatus } from '@notify/schemas';
import { statusEventRows, summaryRows } from './summary';

export class StatusStore {
  constructor(private readonly db: Db) {}

  async write(statuses: readonly DeliveryStatus[]): Promise<void> {
    if (statuses.length === 0) return;
    const events = statusEventRows(statuses);
    const summaries = summaryRows(statuses);
    // The same rule as summaryRows' supersedes(): a later run's terminal wins, else the earliest of a run.
    const incomingWins = sql`(excluded.terminal_at is not null and (delivery_summary.terminal_at is null
      or excluded.terminal_replay > delivery_summary.terminal_replay
      or (excluded.terminal_replay = delivery_summary.terminal_replay and excluded.terminal_at < delivery_summary.terminal_at)))`;
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('delivery_status_events')
        .values(events)
        .onConflict((oc) =>
          oc.constraint('delivery_status_events_once').doUpdateSet((eb) => ({
            attempt: eb.ref('excluded.attempt'),
            reason: eb.ref('excluded.reason'),
            detail: eb.ref('excluded.detail'),
            provider: eb.ref('excluded.provider'),
            at: eb.ref('excluded.at'),
            terminal: sql<boolean>`delivery_status_events.terminal or excluded.terminal`,
          })),
        )
        .execute();
      await tx
        .insertInto('delivery_summary')
        .values(summaries)
        // The same merge as summaryRows(), between the stored row (delivery_summary) and this chunk (excluded).
        .onConflict((oc) =>
          oc.column('notification_id').doUpdateSet({
            recipient: sql`coalesce(delivery_summary.recipient, excluded.recipient)`,
            channel: sql`coalesce(delivery_summary.channel, excluded.channel)`,
            type: sql`coalesce(delivery_summary.type, excluded.type)`,
            latest_status: sql`case when excluded.latest_at >= delivery_summary.latest_at then excluded.latest_status else delivery_summary.latest_status end`,
            latest_at: sql`greatest(delivery_summary.latest_at, excluded.latest_at)`,
            terminal_status: sql`case when ${incomingWins} then excluded.terminal_status else delivery_summary.terminal_status end`,
            reason: sql`case
            when ${incomingWins} then excluded.reason
            when delivery_summary.terminal_at is not null then delivery_summary.reason
            else coalesce(excluded.reason, delivery_summary.reason) end`,
            terminal_at: sql`case when ${incomingWins} then excluded.terminal_at else delivery_summary.terminal_at end`,
            terminal_replay: sql`case when ${incomingWins} then excluded.terminal_replay else delivery_summary.terminal_replay end`,
            occurred_at: sql`least(delivery_summary.occurred_at, excluded.occurred_at)`,
            created_at: sql`least(delivery_summary.created_at, excluded.created_at)`,
            updated_at: sql`now()`,
          }),
        )
        .execute();
    });
  }
}
