import { canonicalJson, idempotentEventId, parseIdempotencyKey, requestHash } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('treats a missing header as no key', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, key: null });
  });

  it.each(['a', 'order-123', 'x'.repeat(255), 'with space and ~!@#$%^&*()'])('accepts %j', (key) => {
    expect(parseIdempotencyKey(key)).toEqual({ ok: true, key });
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(256)],
    ['a control character', 'a\tb'],
    ['non-ASCII', 'clé'],
    ['a newline', 'a\nb'],
  ])('refuses %s', (_what, key) => {
    expect(parseIdempotencyKey(key)).toEqual({ ok: false, message: expect.stringContaining('1 to 255 printable') });
  });

  it('refuses several values', () => {
    expect(parseIdempotencyKey(['a', 'b']).ok).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('distinguishes values JSON distinguishes', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes scalars and empty bodies as JSON', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson({})).toBe('{}');
  });
});

describe('requestHash', () => {
  it('is the same for the same body in another key order', () => {
    expect(requestHash('/v1/events', { type: 'T', payload: { a: 1, b: 2 } })).toBe(
      requestHash('/v1/events', { payload: { b: 2, a: 1 }, type: 'T' }),
    );
  });

  it('differs for another body or another route', () => {
    const hash = requestHash('/v1/events', { type: 'T' });
    expect(requestHash('/v1/events', { type: 'U' })).not.toBe(hash);
    expect(requestHash('/v1/events/batch', { type: 'T' })).not.toBe(hash);
  });
});

describe('idempotentEventId', () => {
  it('is stable for the same tenant, key and index', () => {
    expect(idempotentEventId('acme', 'k1', 0)).toBe(idempotentEventId('acme', 'k1', 0));
  });

  it('differs by tenant, key and index, also when they concatenate alike', () => {
    const ids = new Set([
      idempotentEventId('acme', 'k1', 0),
      idempotentEventId('globex', 'k1', 0),
      idempotentEventId('acme', 'k2', 0),
      idempotentEventId('acme', 'k1', 1),
      idempotentEventId('acme', 'k11', 0),
    ]);
    expect(ids.size).toBe(5);
  });

  it('looks like a version-8 UUID', () => {
    expect(idempotentEventId('acme', 'k1', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
