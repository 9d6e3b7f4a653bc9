/**
 * Fan-out page records (topic notifications.fanout, keyed by event id). The first one is written when
 * the event is accepted; each page handled writes the next, carrying the cursor, until the audience is
 * exhausted. Keying by event id keeps one event's pages in order on one partition.
 */
import type { Output } from '@notify/runner';
import type { AcceptedEvent, FanoutPage } from '@notify/schemas';
import type { IntentRouting } from './intent-outputs';

/** `reached`: recipients the event already has, the direct ones and its team, so an empty audience does not end it as no_recipients. */
export function firstPage(
  event: AcceptedEvent,
  decision: IntentRouting,
  audiences: readonly string[],
  directUserIds: readonly string[],
  reached: number,
  now: number,
): Output {
  const page: FanoutPage = {
    event,
    decision: {
      rule: decision.rule,
      channels: [...decision.channels],
      template: decision.template,
      priority: decision.priority,
      bypass_quiet_hours: decision.bypass_quiet_hours,
      mandatory: decision.mandatory,
      batching: decision.batching,
      escalation: decision.escalation,
      inhibit_labels: [...decision.inhibit_labels],
    },
    audiences: [...audiences],
    after_user_id: null,
    page: 0,
    skip_user_ids: [...directUserIds],
    reached,
    started_at: now,
  };
  return { topic: 'notifications.fanout', key: event.event_id, value: page };
}

export function nextPage(page: FanoutPage, lastUserId: string, reached: number): Output {
  return {
    topic: 'notifications.fanout',
    key: page.event.event_id,
    value: { ...page, after_user_id: lastUserId, page: page.page + 1, reached },
  };
}
