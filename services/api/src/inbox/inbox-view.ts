/**
 * The one JSON shape of an inbox notification, whether it comes from Postgres (REST, catch-up) or from
 * notifications.inbox (live push), so a client handles both the same way and de-duplicates by `seq`.
 */
import type { InboxTable, Selectable } from '@notify/db';
import type { InboxItem } from '@notify/schemas';

export interface InboxItemView {
  id: string;
  seq: number;
  type: string;
  severity: string;
  title: string;
  body: string;
  data: unknown;
  created_at: string;
  read_at: string | null;
  acknowledged_at: string | null;
  archived_at: string | null;
}

/** The owner (tenant, user) is the query's scope and event_id is not shown, so neither is needed here. */
export type StoredInboxRow = Omit<Selectable<InboxTable>, 'tenant' | 'user_id' | 'event_id'>;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function viewOfRow(row: StoredInboxRow): InboxItemView {
  return {
    id: row.notification_id,
    seq: Number(row.seq),
    type: row.type,
    severity: row.severity,
    title: row.title,
    body: row.body,
    data: row.data,
    created_at: row.created_at.toISOString(),
    read_at: iso(row.read_at),
    acknowledged_at: iso(row.acknowledged_at),
    archived_at: iso(row.archived_at),
  };
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** A freshly delivered item has not been read, acknowledged or archived yet. */
export function viewOfInboxItem(item: InboxItem): InboxItemView {
  return {
    id: item.notification_id,
    seq: item.seq,
    type: item.type,
    severity: item.severity,
    title: item.title,
    body: item.body,
    data: parseData(item.data),
    created_at: new Date(item.created_at).toISOString(),
    read_at: null,
    acknowledged_at: null,
    archived_at: null,
  };
}
