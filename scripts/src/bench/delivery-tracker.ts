/**
 * Follows delivery statuses of the events this run produced: an event is finished when each of its
 * notifications reached a terminal status, and delivered when all of those were `delivered`.
 * Statuses of other events (history, tests, probes of other runs) are ignored.
 */
import type { DeliveryStatus } from '@notify/schemas';

interface Terminal {
  status: string;
  reason: string | null;
  /** When the stage decided it (the status's own `at`). */
  at: number;
  /** When the bench read it. */
  arrivedAt: number;
}

interface Progress {
  occurredAt: number;
  terminals: Map<string, Terminal>;
  /** An event-level terminal status (suppressed before routing) ends the event without notifications. */
  eventLevel: DeliveryStatus | null;
  eventLevelArrivedAt: number;
  finished: boolean;
}

export interface FinishedEvent {
  eventId: string;
  occurredAt: number;
  /** The last of its notifications' terminal `at`. */
  lastTerminalAt: number;
  lastArrivalAt: number;
  delivered: boolean;
  outcome: string;
}

export class DeliveryTracker {
  private readonly events = new Map<string, Progress>();
  private finishedCount = 0;
  private lastFinishedArrival = 0;

  /** @param notificationsPerEvent how many notifications each event fans out to (channels × recipients). */
  constructor(private readonly notificationsPerEvent: number) {}

  expect(eventId: string, occurredAt: number): void {
    this.events.set(eventId, { occurredAt, terminals: new Map(), eventLevel: null, eventLevelArrivedAt: 0, finished: false });
  }

  observe(status: DeliveryStatus, arrivedAt: number): void {
    const progress = this.events.get(status.event_id);
    if (!progress || progress.finished || !status.terminal) return;
    if (status.channel === null) {
      progress.eventLevel = status;
      progress.eventLevelArrivedAt = arrivedAt;
    }
    // At-least-once: a redelivered stage may repeat a status; the first one counts.
    else if (!progress.terminals.has(status.notification_id))
      progress.terminals.set(status.notification_id, { status: status.status, reason: status.reason, at: status.at, arrivedAt });
    if (progress.eventLevel || progress.terminals.size >= this.notificationsPerEvent) {
      progress.finished = true;
      this.finishedCount++;
      this.lastFinishedArrival = Math.max(this.lastFinishedArrival, arrivedAt);
    }
  }

  get finished(): number {
    return this.finishedCount;
  }

  get lastFinishedArrivalAt(): number {
    return this.lastFinishedArrival;
  }

  isFinished(eventId: string): boolean {
    return this.events.get(eventId)?.finished ?? false;
  }

  /** Every expected event, finished or not, with what became of it. */
  report(): { finished: FinishedEvent[]; unfinished: string[] } {
    const finished: FinishedEvent[] = [];
    const unfinished: string[] = [];
    for (const [eventId, p] of this.events) {
      if (!p.finished) {
        unfinished.push(eventId);
        continue;
      }
      const terminals = [...p.terminals.values()];
      const delivered = p.eventLevel === null && terminals.every((t) => t.status === 'delivered');
      finished.push({
        eventId,
        occurredAt: p.occurredAt,
        lastTerminalAt: Math.max(p.eventLevel?.at ?? 0, ...terminals.map((t) => t.at)),
        lastArrivalAt: Math.max(p.eventLevelArrivedAt, ...terminals.map((t) => t.arrivedAt)),
        delivered,
        outcome: p.eventLevel
          ? `${p.eventLevel.status}:${p.eventLevel.reason ?? ''}`
          : terminals
              .map((t) => (t.reason ? `${t.status}(${t.reason})` : t.status))
              .sort()
              .join(' + '),
      });
    }
    return { finished, unfinished };
  }
}
