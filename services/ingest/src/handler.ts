/**
 * The consumer of notifications.events: valid events become AcceptedEvents (severity normalised,
 * original label kept) with an `accepted` status; invalid ones go to notifications.events.rejected;
 * an event whose dedupe key another event claimed within the window is suppressed as a duplicate.
 * The claims live in Postgres (DedupeStore), so they outlast restarts and rebalances; the records of
 * a chunk are handled concurrently so that their claims are written as one statement.
 */
import { InvalidInputError } from '@notify/errors';
import { deliveryStatus, type Event } from '@notify/schemas';
import type { DeadLetterPolicy, Handler, InputRecord, Output } from '@notify/runner';
import type { DedupeClaim, DedupeVerdict } from './dedupe-claims';
import { describeProblems, validateEvent } from './validate';

export const STAGE = 'ingest';

/** Where dedupe keys are claimed: DedupeStore, whose failures are retryable. */
export interface DedupeClaims {
  claim(claim: DedupeClaim, at: number): Promise<DedupeVerdict>;
}

export interface IngestHandlerOptions {
  dedupe: DedupeClaims;
  now?: () => number;
}

export function createIngestHandler(options: IngestHandlerOptions): Handler<'notifications.events'> {
  const now = options.now ?? Date.now;

  return {
    async handle(record: InputRecord<Event>): Promise<Output[]> {
      const event = record.value;
      const at = now();
      const result = validateEvent(event, at);
      if (!result.ok) throw new InvalidInputError('invalid_field', describeProblems(result.problems));
      const accepted = result.accepted;
      const base = {
        notification_id: accepted.event_id,
        event_id: accepted.event_id,
        tenant: accepted.tenant,
        type: accepted.type,
        stage: STAGE,
        occurred_at: accepted.occurred_at,
        at,
      };
      if (accepted.dedupe_key !== null) {
        const verdict = await options.dedupe.claim({ tenant: accepted.tenant, key: accepted.dedupe_key, eventId: accepted.event_id }, at);
        if (verdict.duplicate) {
          return [
            {
              topic: 'notifications.delivery-status',
              key: accepted.event_id,
              value: deliveryStatus({
                ...base,
                status: 'suppressed',
                reason: 'duplicate',
                detail: `dedupe_key ${accepted.dedupe_key} already used by ${verdict.holder === null ? 'another event' : `event ${verdict.holder}`}`,
              }),
            },
          ];
        }
      }
      return [
        { topic: 'notifications.accepted', key: accepted.event_id, value: accepted },
        { topic: 'notifications.delivery-status', key: accepted.event_id, value: deliveryStatus({ ...base, status: 'accepted' }) },
      ];
    },
  };
}

/**
 * Ingest's bad records go to the rejected topic with the raw bytes, not the generic dead-letter queue.
 * `source_topic` is the physical topic (with the deployment's namespace prefix): the one an operator
 * reads the offending record from.
 */
export const toRejectedTopic =
  (namespace: string): DeadLetterPolicy =>
  (f) => [
    {
      topic: 'notifications.events.rejected',
      key: f.key ?? `${f.topic}/${f.partition}/${f.offset}`,
      value: {
        reason: f.reason,
        code: f.code,
        event_id: eventIdOf(f.decoded),
        source_topic: namespace + f.topic,
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
