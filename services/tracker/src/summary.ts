/**
 * Folds the statuses of one chunk into rows: each distinct (notification, status, stage) once, and
 * one summary per notification. The database merges these with what earlier chunks stored, with the
 * same rules (see status-store.ts), so the result does not depend on chunk boundaries or redelivery.
 */
import type { DeliveryStatusEventsTable, DeliverySummaryTable, Selectable } from '@notify/db';
import type { DeliveryStatus } from '@notify/schemas';

/** The id and recorded_at are the database's to assign. */
export type StatusEventRow = Omit<Selectable<DeliveryStatusEventsTable>, 'id' | 'recorded_at'>;

/**
 * latency_ms and updated_at are the database's to compute. terminal_status is the first terminal status
 * of the latest run (a notification normally has exactly one; an operator replay of its dead letter ends
 * with a terminal of its own, which supersedes the earlier run's); reason is the terminal status's
 * reason, else the latest reason given.
 */
export type SummaryRow = Omit<Selectable<DeliverySummaryTable>, 'latency_ms' | 'updated_at'>;

/** Whether a terminal status of run `replay` at `at` replaces the summary's current terminal. */
function supersedes(replay: number, at: Date, row: Pick<SummaryRow, 'terminal_at' | 'terminal_replay'>): boolean {
  if (row.terminal_at === null) return true;
  return replay > row.terminal_replay || (replay === row.terminal_replay && at < row.terminal_at);
}

/**
 * One row per (notification, status, stage); a repeated one (a retry's newer attempt) replaces the older.
 * It stays terminal once either was: a `sent` closed by the feedback timeout repeats the status with
 * `terminal` set (reason `no_feedback`).
 */
export function statusEventRows(statuses: readonly DeliveryStatus[]): StatusEventRow[] {
  const rows = new Map<string, StatusEventRow>();
  for (const s of statuses) {
    const key = `${s.notification_id}\u0000${s.status}\u0000${s.stage}`;
    rows.set(key, {
      notification_id: s.notification_id,
      event_id: s.event_id,
      tenant: s.tenant,
      recipient: s.recipient,
      channel: s.channel,
      type: s.type,
      status: s.status,
      reason: s.reason,
      detail: s.detail,
      stage: s.stage,
      provider: s.provider,
      attempt: s.attempt,
      terminal: s.terminal || (rows.get(key)?.terminal ?? false),
      occurred_at: new Date(s.occurred_at),
      at: new Date(s.at),
    });
  }
  return [...rows.values()];
}

export function summaryRows(statuses: readonly DeliveryStatus[]): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const s of statuses) {
    const at = new Date(s.at);
    const row = rows.get(s.notification_id);
    if (!row) {
      rows.set(s.notification_id, {
        notification_id: s.notification_id,
        event_id: s.event_id,
        tenant: s.tenant,
        recipient: s.recipient,
        channel: s.channel,
        type: s.type,
        latest_status: s.status,
        latest_at: at,
        terminal_status: s.terminal ? s.status : null,
        terminal_at: s.terminal ? at : null,
        terminal_replay: s.terminal ? s.replay : 0,
        reason: s.reason,
        occurred_at: new Date(s.occurred_at),
        created_at: at,
      });
      continue;
    }
    row.recipient ??= s.recipient;
    row.channel ??= s.channel;
    row.type ??= s.type;
    if (at >= row.latest_at) {
      row.latest_status = s.status;
      row.latest_at = at;
    }
    if (s.terminal && supersedes(s.replay, at, row)) {
      row.terminal_status = s.status;
      row.terminal_at = at;
      row.terminal_replay = s.replay;
      row.reason = s.reason;
    } else if (row.terminal_status === null && s.reason !== null) {
      row.reason = s.reason;
    }
    if (s.occurred_at < row.occurred_at.getTime()) row.occurred_at = new Date(s.occurred_at);
    if (at < row.created_at) row.created_at = at;
  }
  return [...rows.values()];
}
