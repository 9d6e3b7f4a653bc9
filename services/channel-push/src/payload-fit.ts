/**
 * Push services refuse a payload over their limit (FCM and APNs 4 KB, Web Push about 4 KB once
 * encrypted), and a refused alert reaches nobody. So the body, the one part that can be long, is cut
 * until the payload fits: never at the provider, never mid-character, always marked with "…".
 */
const ELLIPSIS = '…';

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes, without splitting a character. */
export function cutToBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let used = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (used + size > bytes) break;
    used += size;
    out += char;
  }
  return out;
}

/**
 * The body (as is, or cut and ending in "…") for which `size(body)` is at most `limit` bytes;
 * empty when even that does not fit. `size` measures the whole payload built around the body, so
 * JSON escaping and every other field are counted.
 */
export function fitBody(body: string, limit: number, size: (body: string) => number): string {
  if (size(body) <= limit) return body;
  const fixed = size(ELLIPSIS);
  if (fixed > limit) return '';
  // Escaping can make a body byte cost more than one payload byte: cut in proportion, then adjust.
  const perByte = (size(body) - size('')) / Math.max(1, Buffer.byteLength(body));
  let keep = Math.floor((limit - fixed) / perByte);
  while (keep > 0) {
    const candidate = `${cutToBytes(body, keep).trimEnd()}${ELLIPSIS}`;
    const over = size(candidate) - limit;
    if (over <= 0) return candidate;
    keep -= Math.max(1, Math.ceil(over / perByte));
  }
  return '';
}

/** Text cut to `max` characters with a trailing "…" (titles, which stay short on every platform). */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}${ELLIPSIS}` : text;
}
