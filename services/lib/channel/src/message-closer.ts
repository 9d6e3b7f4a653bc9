/**
 * Closes logged messages with their outcome: on a provider's report (Twilio status callback, SendGrid
 * event) or when the channel's feedback timeout passes. Whoever closes the row publishes the terminal
 * statuses (the message's and its digest members') and counts the outcome; a repeated or late report
 * finds the row closed and changes nothing, so each message is published and counted once however
 * many replicas and callbacks race for it.
 *
 * Counting happens here, not when the message is `sent`: for these providers acceptance says nothing
 * about delivery, and the channel handler counts only what acceptance settles.
 */
import { countDelivered, type ChannelMetrics } from './channel-metrics';
import type { FinalStatus, LoggedMessage, MessageLog } from './message-log';
import { feedbackStatuses, noFeedbackStatuses, type StatusPublisher } from './status-publisher';

export type OutcomeMetrics = Pick<ChannelMetrics, 'delivered' | 'failed' | 'deliveryLatency' | 'unconfirmed'>;

export interface MessageCloserDeps {
  messages: MessageLog;
  publisher: Pick<StatusPublisher, 'publish'>;
  metrics: OutcomeMetrics;
  now?: () => number;
}

export class MessageCloser {
  private readonly now: () => number;

  constructor(private readonly deps: MessageCloserDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A provider's final report; the closed message, or undefined when unknown or already closed. */
  async report(
    notificationId: string,
    status: FinalStatus,
    reason: string | null,
    detail: string | null,
  ): Promise<LoggedMessage | undefined> {
    const at = this.now();
    const closed = await this.deps.messages.close(notificationId, status, reason, (rows) =>
      this.deps.publisher.publish(...rows.flatMap((m) => feedbackStatuses(m, status, reason, detail, at))),
    );
    if (!closed) return undefined;
    if (status === 'delivered') {
      countDelivered(this.deps.metrics, closed.channel, closed.occurred_at, at);
    } else {
      this.deps.metrics.failed.inc({ channel: closed.channel, reason: reason ?? status });
    }
    return closed;
  }

  /** Closes up to `limit` of the channel's messages accepted more than `timeoutMs` ago without a report; how many it closed. */
  async expire(channel: string, timeoutMs: number, limit: number): Promise<number> {
    const at = this.now();
    const detail = `no delivery report within ${formatDuration(timeoutMs)} of acceptance`;
    const closed = await this.deps.messages.expire(channel, timeoutMs, limit, (rows) =>
      this.deps.publisher.publish(...rows.flatMap((m) => noFeedbackStatuses(m, detail, at))),
    );
    if (closed.length > 0) this.deps.metrics.unconfirmed.inc({ channel }, closed.length);
    return closed.length;
  }
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
