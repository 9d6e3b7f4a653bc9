/**
 * The pure parts of the Idempotency-Key header: what a valid key is, what makes two requests "the
 * same request", and the event ids a keyed request gets when its body names none.
 */
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

const KEY = /^[\x20-\x7e]{1,255}$/;

export type ParsedKey = { ok: true; key: string | null } | { ok: false; message: string };

/** No header is fine (null); a present one must be 1 to 255 printable ASCII characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): ParsedKey {
  if (header === undefined) return { ok: true, key: null };
  if (Array.isArray(header) || !KEY.test(header))
    return { ok: false, message: 'Idempotency-Key must be one value of 1 to 255 printable ASCII characters' };
  return { ok: true, key: header };
}

/** JSON with object keys sorted at every level, so key order and whitespace do not make a request different. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Same route and same JSON body give the same hash; the route counts, so a key cannot be reused across endpoints. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\u0000').update(canonicalJson(body)).digest('hex');
}

/**
 * The id of the `index`-th event of a keyed request whose body has no event_id: the same on every retry,
 * so a retry after a crash produces the same event and every id downstream lines up with the first try.
 * UUID-shaped (version 8, RFC 9562) like the random ids of unkeyed requests.
 */
export function idempotentEventId(tenant: string, key: string, index: number): string {
  const h = createHash('sha256').update(tenant).update('\u0000').update(key).update('\u0000').update(String(index)).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x80;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
