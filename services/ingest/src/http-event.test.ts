import { eventFromJson } from './http-event';

const NOW = 1_700_000_000_000;
const fields = (problems: Array<{ field: string }>) => problems.map((p) => p.field).sort();

describe('eventFromJson', () => {
  it('builds an Event from a complete body, with the tenant of the API key', () => {
    const { event, problems } = eventFromJson(
      {
        event_id: 'evt-1',
        type: 'ORDER_FILLED',
        producer: 'trading',
        tenant: 'acme',
        occurred_at: '2024-01-15T10:00:00Z',
        severity: 'medium',
        payload: { user_id: 'u1' },
        dedupe_key: 'd1',
        recipients: ['u1', 'u2'],
        audience: 'tier:T1',
        labels: { desk: 'eq' },
      },
      'acme',
      NOW,
    );
    expect(problems).toEqual([]);
    expect(event).toEqual({
      event_id: 'evt-1',
      type: 'ORDER_FILLED',
      producer: 'trading',
      tenant: 'acme',
      occurred_at: Date.parse('2024-01-15T10:00:00Z'),
      severity: 'medium',
      payload: '{"user_id":"u1"}',
      dedupe_key: 'd1',
      recipients: ['u1', 'u2'],
      audience: 'tier:T1',
      labels: { desk: 'eq' },
    });
  });

  it('fills defaults: a fresh event id, now, info severity, empty payload and labels, no recipients', () => {
    const { event, problems } = eventFromJson({ type: 'PING', producer: 'p' }, 'acme', NOW);
    expect(problems).toEqual([]);
    expect(event.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event).toMatchObject({
      tenant: 'acme',
      occurred_at: NOW,
      severity: 'info',
      payload: '{}',
      labels: {},
      recipients: null,
      dedupe_key: null,
      audience: null,
    });
  });

  it('generates a different event id for each body without one', () => {
    const a = eventFromJson({ type: 'PING', producer: 'p' }, 'acme', NOW).event;
    const b = eventFromJson({ type: 'PING', producer: 'p' }, 'acme', NOW).event;
    expect(a.event_id).not.toBe(b.event_id);
  });

  it('accepts epoch milliseconds for occurred_at', () => {
    expect(eventFromJson({ type: 'T', producer: 'p', occurred_at: 1_600_000_000_000 }, 'acme', NOW).event.occurred_at).toBe(
      1_600_000_000_000,
    );
  });

  it('refuses a tenant that differs from the API key', () => {
    const { event, problems } = eventFromJson({ type: 'T', producer: 'p', tenant: 'globex' }, 'acme', NOW);
    expect(fields(problems)).toEqual(['tenant']);
    expect(event.tenant).toBe('acme');
  });

  it('lists every type problem at once', () => {
    const { problems } = eventFromJson(
      {
        type: 5,
        producer: null,
        payload: [],
        recipients: ['ok', 7],
        labels: { a: 1 },
        severity: 3,
        occurred_at: 'yesterday-ish',
        event_id: 9,
        dedupe_key: {},
        audience: true,
      },
      'acme',
      NOW,
    );
    expect(fields(problems)).toEqual([
      'audience',
      'dedupe_key',
      'event_id',
      'labels',
      'occurred_at',
      'payload',
      'producer',
      'recipients',
      'severity',
      'type',
      'type',
    ]);
  });

  it.each([null, [], 'text', 42])('refuses a body that is not a JSON object (%j)', (body) => {
    const { problems } = eventFromJson(body, 'acme', NOW);
    expect(fields(problems)).toEqual(['(body)', 'producer', 'type']);
  });

  it('keeps the event well-typed even when the body was not', () => {
    const { event } = eventFromJson({ type: 5, severity: 3, labels: 'x' }, 'acme', NOW);
    expect(event).toMatchObject({ type: '', producer: '', severity: 'info', labels: {}, payload: '{}' });
  });

  it('treats null optional fields as absent', () => {
    const { event, problems } = eventFromJson(
      { type: 'T', producer: 'p', payload: null, labels: null, recipients: null, dedupe_key: null, occurred_at: null },
      'acme',
      NOW,
    );
    expect(problems).toEqual([]);
    expect(event).toMatchObject({ payload: '{}', labels: {}, recipients: null, dedupe_key: null, occurred_at: NOW });
  });
});

describe('eventFromJson event ids', () => {
  it('names an event without event_id by the given supplier, and keeps a given event_id', () => {
    expect(eventFromJson({ type: 'T', producer: 'p' }, 'acme', NOW, () => 'derived-1').event.event_id).toBe('derived-1');
    expect(eventFromJson({ type: 'T', producer: 'p', event_id: 'mine' }, 'acme', NOW, () => 'derived-1').event.event_id).toBe('mine');
  });
});
