/**
 * The event a producer publishes. `Event` is the record on notifications.events exactly as
 * schemas/avro/Event.avsc describes it (event.test.ts holds it to the generated type); `EventInput` is
 * what a caller writes: the same fields, with everything that has a default left optional.
 */
import { randomUUID } from 'node:crypto';

export interface Event {
  /** Unique id chosen by the producer (a UUID is typical). */
  event_id: string;
  /** Event type, e.g. ORDER_FILLED, MARGIN_CALL. */
  type: string;
  /** Name of the producing system. */
  producer: string;
  tenant: string;
  /** When the business fact happened (epoch ms). */
  occurred_at: number;
  /** Severity label as the producer names it (info, low, medium, warning, high, critical, urgent, ...). */
  severity: string;
  /** JSON object text with the event's business fields. */
  payload: string;
  dedupe_key: null | string;
  /** Explicit user ids within the tenant. */
  recipients: null | Array<string>;
  /** Audience selector such as tier:TIER_1_SFO, or several separated by commas. */
  audience: null | string;
  /** Free labels used by rules and inhibition (account, symbol, ...). */
  labels: Record<string, string>;
}

export type EventInput = Pick<Event, 'type' | 'producer'> &
  Partial<Omit<Event, 'type' | 'producer' | 'payload' | 'occurred_at'>> & {
    /** The business fields; sent as a JSON object (over Kafka as its JSON text). */
    payload?: Record<string, unknown>;
    /** Defaults to now. */
    occurred_at?: Date | number | string;
  };

/** The caller's event with an event_id it keeps for every retry: a UUID when the caller gave none. */
export function withEventId<E extends EventInput>(input: E): E & { event_id: string } {
  return input.event_id ? (input as E & { event_id: string }) : { ...input, event_id: randomUUID() };
}

function epochMs(value: Date | number | string | undefined, now: number): number {
  if (value === undefined) return now;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : Date.parse(value);
}

/** The full record for Kafka, defaults filled in the way ingest fills them for an HTTP body. */
export function toEvent(input: EventInput & { event_id: string }, defaultTenant: string, now: number): Event {
  return {
    event_id: input.event_id,
    type: input.type,
    producer: input.producer,
    tenant: input.tenant ?? defaultTenant,
    occurred_at: epochMs(input.occurred_at, now),
    severity: input.severity ?? 'info',
    payload: JSON.stringify(input.payload ?? {}),
    dedupe_key: input.dedupe_key ?? null,
    recipients: input.recipients ?? null,
    audience: input.audience ?? null,
    labels: input.labels ?? {},
  };
}

/** The JSON body of POST /v1/events: the caller's fields as given (ingest checks them), a Date as epoch ms. */
export function toHttpBody(input: EventInput & { event_id: string }): Record<string, unknown> {
  const { occurred_at, ...rest } = input;
  return occurred_at instanceof Date ? { ...rest, occurred_at: occurred_at.getTime() } : { ...input };
}
