import avro from 'avsc';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Event as GeneratedEvent } from '@notify/schemas';
import { toEvent, toHttpBody, withEventId, type Event } from './event';

// The client cannot import the generated type at run time (it is published alone), so its own copy is
// held to it here: each must be assignable to the other, or this file does not type-check.
// (The check is the compiler's: `npm run typecheck` covers this file.)
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameAsGenerated: Same<Event, GeneratedEvent> = true;

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'avro', 'Event.avsc'), 'utf8')) as {
  fields: Array<{ name: string }>;
};
const type = avro.Type.forSchema(schema as avro.Schema);

describe('Event', () => {
  it('toEvent fills every field of Event.avsc, in a record the schema accepts', () => {
    const event = toEvent(
      withEventId({ type: 'ORDER_FILLED', producer: 'trading-system', payload: { user_id: 'u1' } }),
      'acme',
      1_700_000_000_000,
    );
    expect(Object.keys(event).sort()).toEqual(schema.fields.map((f) => f.name).sort());
    expect(type.isValid(event)).toBe(true);
    expect(event).toMatchObject({
      tenant: 'acme',
      occurred_at: 1_700_000_000_000,
      severity: 'info',
      payload: '{"user_id":"u1"}',
      dedupe_key: null,
      recipients: null,
      audience: null,
      labels: {},
    });
  });

  it('keeps what the caller gave', () => {
    const event = toEvent(
      {
        event_id: 'e1',
        type: 'MARGIN_CALL',
        producer: 'risk',
        tenant: 't1',
        occurred_at: '2024-01-15T10:00:00Z',
        severity: 'critical',
        payload: { a: 1 },
        dedupe_key: 'd1',
        recipients: ['u1'],
        audience: 'tier:GOLD',
        labels: { account: 'acc789' },
      },
      'default',
      0,
    );
    expect(event).toEqual({
      event_id: 'e1',
      type: 'MARGIN_CALL',
      producer: 'risk',
      tenant: 't1',
      occurred_at: Date.parse('2024-01-15T10:00:00Z'),
      severity: 'critical',
      payload: '{"a":1}',
      dedupe_key: 'd1',
      recipients: ['u1'],
      audience: 'tier:GOLD',
      labels: { account: 'acc789' },
    });
    expect(toEvent({ event_id: 'e2', type: 'T', producer: 'p', occurred_at: new Date(5) }, 'default', 0).occurred_at).toBe(5);
  });

  it('gives an event without an id a UUID once, and leaves a given id alone', () => {
    const input = { type: 'T', producer: 'p' };
    const identified = withEventId(input);
    expect(identified.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(withEventId(identified)).toBe(identified);
    expect(input).toEqual({ type: 'T', producer: 'p' });
  });

  it('toHttpBody sends a Date as epoch ms and everything else as given', () => {
    expect(toHttpBody({ event_id: 'e', type: 'T', producer: 'p', occurred_at: new Date(7), payload: { x: 1 } })).toEqual({
      event_id: 'e',
      type: 'T',
      producer: 'p',
      occurred_at: 7,
      payload: { x: 1 },
    });
    expect(toHttpBody({ event_id: 'e', type: 'T', producer: 'p', occurred_at: 'yesterday' })).toEqual({
      event_id: 'e',
      type: 'T',
      producer: 'p',
      occurred_at: 'yesterday',
    });
  });
});
