/**
 * Sealed values in records: AES-256-GCM with a key id, for a value that must cross Kafka but be read
 * by one service only (the one-time code of a phone verification, which only the SMS worker opens to
 * send it). The sealed form is text, `sealed.v1.<kid>.<base64url(iv | ciphertext | tag)>`, so it fits
 * in a JSON payload; the associated data binds it to its record (the recipient), so a sealed value
 * copied into another record does not open.
 *
 * Keys come as `kid:<base64 of 32 bytes>` entries, comma separated: the first seals, every one
 * opens, so a key rotates without downtime (add the new key second everywhere, move it first, drop
 * the old one once nothing sealed with it is still in flight).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Values sealed with the platform's keys; other sealers (a user's own data key) choose their own prefix. */
const PREFIX = 'sealed.v1.';
const KID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that cannot be opened: unknown key, tampered, or bound to another record. */
export class SealError extends Error {}

export interface SealingKey {
  kid: string;
  key: Buffer;
}

export function parseSealingKeys(text: string): SealingKey[] {
  const keys: SealingKey[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const kid = entry.slice(0, colon);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (colon <= 0 || !KID.test(kid)) throw new SealError(`sealing key entry "${kid || entry.slice(0, 8)}…": expected <kid>:<base64 key>`);
    if (key.length !== 32) throw new SealError(`sealing key ${kid}: must be 32 bytes (base64 of 32 random bytes), got ${key.length}`);
    if (keys.some((k) => k.kid === kid)) throw new SealError(`sealing key ${kid}: listed twice`);
    keys.push({ kid, key });
  }
  return keys;
}

export class Sealer {
  constructor(
    private readonly keys: readonly SealingKey[],
    private readonly prefix: string = PREFIX,
  ) {
    if (keys.length === 0) throw new SealError('at least one sealing key is required');
  }

  seal(plaintext: string, boundTo: string): string {
    const { kid, key } = this.keys[0] as SealingKey;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${this.prefix}${kid}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, boundTo: string): string {
    const kid = sealedKeyId(sealed, this.prefix);
    if (kid === null) throw new SealError('not a sealed value');
    const rest = sealed.slice(this.prefix.length);
    const dot = rest.indexOf('.');
    const found = this.keys.find((k) => k.kid === kid);
    if (dot <= 0 || !found) throw new SealError(`sealed with key ${kid || '?'}, which this service does not hold`);
    const bytes = Buffer.from(rest.slice(dot + 1), 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', found.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealError('sealed value does not open: tampered, or bound to another record');
    }
  }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The key id of a value sealed under `prefix`, or null when it is not one. */
export function sealedKeyId(value: string, prefix: string = PREFIX): string | null {
  if (!value.startsWith(prefix)) return null;
  const rest = value.slice(prefix.length);
  const dot = rest.indexOf('.');
  return dot > 0 ? rest.slice(0, dot) : null;
}
