/**
 * What a condition or `group_by` can look at: a top-level event field, `labels.<name>` (the rest of
 * the path is the label name, dots included), or `payload.<a>.<b>` (a dot path into the parsed payload,
 * numeric segments index into lists).
 */
import type { AcceptedEvent } from '@notify/schemas';

export const EVENT_FIELDS = [
  'event_id',
  'type',
  'producer',
  'tenant',
  'severity',
  'severity_label',
  'dedupe_key',
  'audience',
  'recipients',
  'occurred_at',
  'accepted_at',
] as const satisfies ReadonlyArray<keyof AcceptedEvent>;

type EventFieldName = (typeof EVENT_FIELDS)[number];

export type FieldPath = { kind: 'event'; name: EventFieldName } | { kind: 'label'; name: string } | { kind: 'payload'; segments: string[] };

export const FIELD_PATH_FORMAT = `one of ${EVENT_FIELDS.join(', ')}, labels.<name> or payload.<path>`;

export function parseFieldPath(path: string): FieldPath | undefined {
  const eventField = EVENT_FIELDS.find((name) => name === path);
  if (eventField) return { kind: 'event', name: eventField };
  if (path.startsWith('labels.') && path.length > 'labels.'.length) {
    return { kind: 'label', name: path.slice('labels.'.length) };
  }
  if (path.startsWith('payload.')) {
    const segments = path.slice('payload.'.length).split('.');
    if (segments.every((segment) => segment !== '')) return { kind: 'payload', segments };
  }
  return undefined;
}

/** One event as rules see it; the payload is parsed once, on first use, however many rules ask. */
export class EventView {
  private payloadValue: unknown;
  private payloadParsed = false;

  constructor(readonly event: AcceptedEvent) {}

  payload(): unknown {
    if (!this.payloadParsed) {
      this.payloadParsed = true;
      try {
        this.payloadValue = JSON.parse(this.event.payload);
      } catch {
        // Intake validates payloads; a record that slipped through routes as if its payload were empty.
        this.payloadValue = {};
      }
    }
    return this.payloadValue;
  }

  /** The field's value, or undefined when the event does not have it. */
  read(path: FieldPath): unknown {
    switch (path.kind) {
      case 'event':
        return this.event[path.name];
      case 'label':
        return Object.prototype.hasOwnProperty.call(this.event.labels, path.name) ? this.event.labels[path.name] : undefined;
      case 'payload':
        return path.segments.reduce<unknown>(step, this.payload());
    }
  }
}

function step(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) {
    const list: readonly unknown[] = value;
    return /^\d+$/.test(segment) ? list[Number(segment)] : undefined;
  }
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, segment)) {
    return (value as Record<string, unknown>)[segment];
  }
  return undefined;
}

/** For consumers of a decision (the batcher's `group_by`): reads a field path from an event. */
export function readEventField(event: AcceptedEvent, path: string): unknown {
  const parsed = parseFieldPath(path);
  return parsed ? new EventView(event).read(parsed) : undefined;
}
