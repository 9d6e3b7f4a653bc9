/**
 * The HS256 token secrets from the environment: JWT_KEYS (`kid:secret,kid:secret`, the first signs,
 * all verify: add the new key second, then swap it first once every replica has it, then drop the
 * old one after the longest token lifetime), or a mounted file of the same entries one per line
 * (JWT_KEYS_FILE, e.g. a Kubernetes secret), or the single JWT_SECRET of earlier releases (key id
 * `default`). Secrets shorter than 32 bytes are brute-forceable and refused.
 */
import type { HmacKey } from './token-verifier';

export const MIN_SECRET_BYTES = 32;
const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** The keys an entry list names; a list of problems when any entry is malformed. */
export function parseTokenKeys(text: string): { keys: HmacKey[]; problems: string[] } {
  const keys: HmacKey[] = [];
  const problems: string[] = [];
  const entries = text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'));
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    const secret = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KID.test(kid)) problems.push(`entry ${index + 1}: expected <kid>:<secret> with a key id of letters, digits, '.', '_' or '-'`);
    else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES)
      problems.push(`key ${kid}: the secret must be at least ${MIN_SECRET_BYTES} bytes`);
    else if (keys.some((k) => k.kid === kid)) problems.push(`key ${kid}: listed twice`);
    else keys.push({ kid, secret });
  }
  return { keys, problems };
}
