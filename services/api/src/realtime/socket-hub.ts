/**
 * The sessions open on this replica, by recipient key. Every replica sees every InboxItem (its own
 * consumer group), so publishing here reaches every session of the user connected to this replica.
 */
import { recipientKey } from '@notify/schemas';
import type { InboxItemView } from '../inbox/inbox-view';
import type { InboxSession } from './inbox-session';

export class SocketHub {
  private readonly sessions = new Map<string, Set<InboxSession>>();

  add(tenant: string, userId: string, session: InboxSession): () => void {
    const key = recipientKey(tenant, userId);
    let set = this.sessions.get(key);
    if (!set) this.sessions.set(key, (set = new Set()));
    set.add(session);
    return () => {
      set.delete(session);
      if (set.size === 0 && this.sessions.get(key) === set) this.sessions.delete(key);
    };
  }

  /** Delivers to every session of the user on this replica; returns how many. */
  publish(tenant: string, userId: string, item: InboxItemView): number {
    const set = this.sessions.get(recipientKey(tenant, userId));
    if (!set) return 0;
    for (const session of set) session.deliver(item);
    return set.size;
  }

  get size(): number {
    let n = 0;
    for (const set of this.sessions.values()) n += set.size;
    return n;
  }
}
