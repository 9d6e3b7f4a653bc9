/**
 * A digest is one Dispatch standing for several member notifications, each of which the aggregator
 * left at `queued` (detail "in digest <id>"). Whoever learns the digest's outcome reports it for the
 * digest and, with the same channel, stage, provider and reason, for every member, so each member
 * notification ends with exactly one terminal status of its own.
 */
import type { Output } from '@notify/runner';
import type { DeliveryStatus, Dispatch } from '@notify/schemas';

/** What a member status needs to know about its member: the fields of a Digest item. */
export interface DigestMember {
  notification_id: string;
  event_id: string;
  type: string;
  occurred_at: number;
}

export function digestMembers(d: Pick<Dispatch, 'digest'>): DigestMember[] {
  return (d.digest?.items ?? []).map((item) => ({
    notification_id: item.notification_id,
    event_id: item.event_id,
    type: item.type,
    occurred_at: item.occurred_at,
  }));
}

/** The status of a digest, then the same status for each of its members (only the status itself when there are none). */
export function withMemberStatuses(status: DeliveryStatus, members: readonly DigestMember[]): DeliveryStatus[] {
  return [
    status,
    ...members.map((m): DeliveryStatus => ({
      ...status,
      notification_id: m.notification_id,
      event_id: m.event_id,
      type: m.type,
      occurred_at: m.occurred_at,
      detail: status.detail ? `digest ${status.notification_id}: ${status.detail}` : `digest ${status.notification_id}`,
    })),
  ];
}

/** The outcome of a dispatch as delivery-status outputs: one for the dispatch, one per digest member. */
export function outcomeOutputs(d: Pick<Dispatch, 'digest'>, status: DeliveryStatus): Output[] {
  return withMemberStatuses(status, digestMembers(d)).map((s) => ({
    topic: 'notifications.delivery-status',
    key: s.notification_id,
    value: s,
  }));
}
