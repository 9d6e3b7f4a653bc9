import type { Event } from '@notify/schemas';
import { describeProblems, LIMITS, validateEvent, type Validation } from './validate';

const ACCEPTED_AT = 1_700_000_001_000;

function event(overrides: Partial<Event> = {}): Event {
  return {
    event_id: 'evt-1',
    type: 'ORDER_FILLED',
    producer: 'trading-system',
    tenant: 'acme',
    occurred_at: 1_700_000_000_000,
    severity: 'medium',
    payload: JSON.stringify({ user_id: 'u1', symbol: 'AAPL' }),
    dedupe_key: 'order-1',
    recipients: null,
    audience: null,
    labels: { desk: 'eq' },
    ...overrides,
  };
}

function problemFields(v: Validation): string[] {
  return v.ok ? [] : v.problems.map((p) => p.field).sort();
}

describe('validateEvent', () => {
  it('accepts a valid event, normalising severity and keeping the original label', () => {
    const v = validateEvent(event(), ACCEPTED_AT);
    expect(v).toEqual({
      ok: true,
      accepted: {
        event_id: 'evt-1',
        type: 'ORDER_FILLED',
        producer: 'trading-system',
        tenant: 'acme',
        occurred_at: 1_700_000_000_000,
        accepted_at: ACCEPTED_AT,
        severity: 'warning',
        severity_label: 'medium',
        payload: JSON.stringify({ user_id: 'u1', symbol: 'AAPL' }),
        dedupe_key: 'order-1',
        recipients: [],
        audience: null,
        labels: { desk: 'eq' },
      },
    });
  });

  it('de-duplicates recipients, keeping first-seen order', () => {
    const v = validateEvent(event({ recipients: ['u2', 'u1', 'u2'] }), ACCEPTED_AT);
    expect(v.ok && v.accepted.recipients).toEqual(['u2', 'u1']);
  });

  it('lists every problem of an event at once', () => {
    const v = validateEvent(
      event({
        event_id: '',
        type: 'ORDER FILLED',
        producer: '  ',
        tenant: 'Acme',
        occurred_at: 0,
        severity: 'apocalyptic',
        payload: '[1]',
        dedupe_key: '',
        recipients: ['ok', 'a/b', ''],
        audience: 'no-colon',
      }),
      ACCEPTED_AT,
    );
    expect(problemFields(v)).toEqual([
      'audience',
      'dedupe_key',
      'event_id',
      'occurred_at',
      'payload',
      'producer',
      'recipients[1]',
      'recipients[2]',
      'severity',
      'tenant',
      'type',
    ]);
  });

  it.each([
    ['type', { type: 'x'.repeat(101) }],
    ['type', { type: '_leading' }],
    ['tenant', { tenant: 'has space' }],
    ['tenant', { tenant: 'a'.repeat(64) }],
    ['event_id', { event_id: 'e'.repeat(201) }],
    ['occurred_at', { occurred_at: Number.NaN }],
    ['occurred_at', { occurred_at: -5 }],
    ['payload', { payload: 'not json' }],
    ['payload', { payload: 'null' }],
    ['payload', { payload: '"a string"' }],
    ['dedupe_key', { dedupe_key: 'd'.repeat(201) }],
    ['audience', { audience: 'tier:' }],
    ['audience', { audience: 'tier:A,' }],
    ['audience', { audience: Array.from({ length: 17 }, (_, i) => `tier:T${i}`).join(',') }],
  ] as Array<[string, Partial<Event>]>)('rejects a bad %s (%j)', (field, overrides) => {
    expect(problemFields(validateEvent(event(overrides), ACCEPTED_AT))).toEqual([field]);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('rejects the severity label %j as unknown', (severity) => {
    expect(problemFields(validateEvent(event({ severity }), ACCEPTED_AT))).toEqual(['severity']);
  });

  it('accepts several audiences separated by commas', () => {
    expect(problemFields(validateEvent(event({ audience: 'tier:TIER_1, tier:TIER_2' }), ACCEPTED_AT))).toEqual([]);
  });

  it('accepts boundary values', () => {
    const v = validateEvent(
      event({
        type: 'A'.repeat(100),
        tenant: 'a'.repeat(63),
        event_id: 'e'.repeat(200),
        dedupe_key: null,
        audience: 'tier:TIER_1_SFO',
        payload: '{}',
        severity: ' CRITICAL ',
      }),
      ACCEPTED_AT,
    );
    expect(v.ok).toBe(true);
    expect(v.ok && v.accepted.severity).toBe('critical');
  });

  it('limits the payload size in bytes, not characters', () => {
    const fits = JSON.stringify({ s: 'x'.repeat(LIMITS.MAX_PAYLOAD_BYTES - 8) });
    expect(Buffer.byteLength(fits)).toBe(LIMITS.MAX_PAYLOAD_BYTES);
    expect(validateEvent(event({ payload: fits }), ACCEPTED_AT).ok).toBe(true);
    const multiByte = JSON.stringify({ s: 'é'.repeat(LIMITS.MAX_PAYLOAD_BYTES / 2) });
    expect(multiByte.length).toBeLessThan(LIMITS.MAX_PAYLOAD_BYTES + 10);
    expect(problemFields(validateEvent(event({ payload: multiByte }), ACCEPTED_AT))).toEqual(['payload']);
  });

  it('caps the number of explicit recipients', () => {
    const many = Array.from({ length: LIMITS.MAX_RECIPIENTS + 1 }, (_, i) => `u${i}`);
    expect(problemFields(validateEvent(event({ recipients: many }), ACCEPTED_AT))).toEqual(['recipients']);
    expect(validateEvent(event({ recipients: many.slice(1) }), ACCEPTED_AT).ok).toBe(true);
  });
});

describe('describeProblems', () => {
  it('joins field and message of each problem', () => {
    expect(
      describeProblems([
        { field: 'type', message: 'is bad' },
        { field: 'payload', message: 'is not valid JSON' },
      ]),
    ).toBe('type is bad; payload is not valid JSON');
  });
});
