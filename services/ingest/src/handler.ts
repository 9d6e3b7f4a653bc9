/**
 * The consumer of notifications.events: valid events become AcceptedEvents (severity normalised,
 * original label kept) with an `accepted` status; invalid ones go to notifications.events.rejected;
 * a second event with a dedupe key already claimed in the window is suppressed as a duplicate.
 */
import { InvalidInputError } from '@notify/errors';
import { deliveryStatus, type Event } from '@notify/schemas';
import type { DeadLetterPolicy, Handler, InputRecord, Output } from '@notify/runner';
import { DedupeWindow } from './dedupe-window';
import { describeProblems, validateEvent } from './validate';

export const STAGE = 'ingest';

export interface IngestHandlerOptions {
  dedupeWindowMs: number;
  dedupeMaxKeys: number;
  now?: () => number;
}

export function createIngestHandler(options: IngestHandlerOptions): Handler<'notifications.events'> {
  const windows = new Map<number, DedupeWindow>();
  const now = options.now ?? Date.now;
  const windowFor = (partition: number): DedupeWindow => {
    let w = windows.get(partition);
    if (!w) windows.set(partition, (w = new DedupeWindow(options.dedupeWindowMs, options.dedupeMaxKeys)));
    return w;
  };

  return {
    handle(record: InputRecord<Event>): Output[] {
      const event = record.value;
      const at = now();
      const result = validateEvent(event, at);
      if (!result.ok) throw new InvalidInputError('invalid_field', describeProblems(result.problems));
      const accepted = result.accepted;
      const base = { notification_id: accepted.event_id, event_id: accepted.event_id, tenant: accepted.tenant, type: accepted.type, stage: STAGE, occurred_at: accepted.occurred_at, at };
      if (accepted.dedupe_key !== null) {
        const holder = windowFor(record.partition).claim(`${accepted.tenant}\u0000${accepted.dedupe_key}`, accepted.event_id, at);
        if (holder !== null) {
          return [{
            topic: 'notifications.delivery-status',
            key: accepted.event_id,
            value: deliveryStatus({ ...base, status: 'suppressed', reason: 'duplicate', detail: `dedupe_key ${accepted.dedupe_key} already used by event ${holder}` }),
          }];
        }
      }
      return [
        { topic: 'notifications.accepted', key: accepted.event_id, value: accepted },
        { topic: 'notifications.delivery-status', key: accepted.event_id, value: deliveryStatus({ ...base, status: 'accepted' }) },
      ];
    },
  };
}

/** Ingest's bad records go to the rejected topic with the raw bytes, not the generic dead-letter queue. */
export const toRejectedTopic: DeadLetterPolicy = (f) => [
  {
    topic: 'notifications.events.rejected',
    key: f.key ?? `${f.topic}/${f.partition}/${f.offset}`,
    value: {
      reason: f.reason,
      code: f.code,
      event_id: eventIdOf(f.decoded),
      source_topic: f.topic,
      source_partition: f.partition,
      source_offset: f.offset,
      key: f.key,
      raw: f.raw,
      rejected_at: Date.now(),
    },
  },
];

function eventIdOf(decoded: unknown): string | null {
  if (decoded && typeof decoded === 'object' && 'event_id' in decoded) {
    const id = (decoded as { event_id: unknown }).event_id;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
