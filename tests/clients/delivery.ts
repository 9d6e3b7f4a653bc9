/** Waits on notifications.delivery-status until every channel of an event has delivered it. */
import type { DeliveryStatus } from '@notify/schemas';
import type { TopicReader } from '../support/topic-reader';
import { waitFor } from '../support/wait';

export const SEED_CHANNELS = ['inapp', 'webhook'] as const;

export function statusesOf(statuses: TopicReader<DeliveryStatus>, eventId: string): DeliveryStatus[] {
  return statuses.records.map((r) => r.value).filter((s) => s.event_id === eventId);
}

/** Resolves with the event's statuses once each channel has a `delivered` one. */
export function delivered(
  statuses: TopicReader<DeliveryStatus>,
  eventId: string,
  channels: readonly string[] = SEED_CHANNELS,
): Promise<DeliveryStatus[]> {
  return waitFor(
    `${eventId} delivered on ${channels.join(', ')}`,
    () => {
      const mine = statusesOf(statuses, eventId);
      return channels.every((c) => mine.some((s) => s.channel === c && s.status === 'delivered')) ? mine : undefined;
    },
    60_000,
  );
}
