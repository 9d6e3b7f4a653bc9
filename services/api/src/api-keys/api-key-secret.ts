/**
 * Producer API keys: 32 random bytes, shown once. Only the SHA-256 digest is stored (a key has far
 * more entropy than a password, so an unsalted fast hash is enough and lets ingest look a key up by
 * digest). ingest's ApiKeys digests presented keys the same way.
 */
import { createHash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'nk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface NewApiKey {
  id: string;
  key: string;
  /** Enough of the key to tell keys apart in a list; reveals nothing useful. */
  prefix: string;
  hash: string;
}

export function generateApiKey(random: (n: number) => Buffer = randomBytes): NewApiKey {
  const key = `${KEY_PREFIX}${random(32).toString('base64url')}`;
  return { id: `key_${random(9).toString('base64url')}`, key, prefix: key.slice(0, KEY_PREFIX.length + 6), hash: hashApiKey(key) };
}
