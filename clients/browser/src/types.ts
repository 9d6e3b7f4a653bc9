/** The shapes the API sends: one inbox notification (REST and WebSocket alike) and a page of them. */

export interface InboxItem {
  /** The notification id; acknowledge, read and unread take it. */
  id: string;
  /** Position in the inbox, increasing with storage order; the live connection's cursor. */
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

export interface InboxPage {
  /** Newest first. */
  items: InboxItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * connecting: opening a socket (or waiting to retry); open: live; closed: not live (dropped and about to
 * retry, or disconnect() was called); auth_failed: the API refused the token and no fresh one could be had,
 * so the client stopped retrying.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'auth_failed';

export interface StatusDetail {
  /** WebSocket close code, when a socket closed. */
  code?: number;
  reason?: string;
  /** When status is closed and the client will retry: after this many milliseconds. */
  retryInMs?: number;
}
