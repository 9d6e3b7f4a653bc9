/**
 * One open WebSocket of a user. A catch-up (rows after the client's cursor, from Postgres) and live
 * items (from notifications.inbox) can overlap: while a catch-up runs, live items wait in a queue and
 * are sent after it, and every item is sent at most once (by seq). The session is registered with the
 * hub before the catch-up query starts, so nothing stored in between can be missed.
 */
import type { InboxItemView } from '../inbox/inbox-view';
import { RecentSeqs } from './recent-seqs';

export type CatchUpLoader = (afterSeq: string) => Promise<InboxItemView[]>;

export class InboxSession {
  private queued: InboxItemView[] | null = null;
  private readonly sent: RecentSeqs;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (item: InboxItemView) => void,
    dedupeCapacity = 5000,
  ) {
    this.sent = new RecentSeqs(dedupeCapacity);
  }

  /** A live item for this user. */
  deliver(item: InboxItemView): void {
    if (this.queued) this.queued.push(item);
    else this.emit(item);
  }

  /** Sends every stored row after the cursor (pages of the loader until it returns none), then the queued live items. */
  catchUp(afterSeq: string, load: CatchUpLoader): Promise<void> {
    this.queued ??= [];
    const run = async () => {
      let cursor = afterSeq;
      for (;;) {
        const rows = await load(cursor);
        if (rows.length === 0) break;
        for (const row of rows) this.emit(row);
        cursor = String((rows[rows.length - 1] as InboxItemView).seq);
      }
    };
    this.chain = this.chain.then(run).finally(() => this.flush());
    return this.chain;
  }

  private flush(): void {
    const queued = this.queued ?? [];
    this.queued = null;
    for (const item of queued) this.emit(item);
  }

  private emit(item: InboxItemView): void {
    if (this.sent.add(item.seq)) this.send(item);
  }
}
