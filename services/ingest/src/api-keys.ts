/**
 * Producer API keys, held only as SHA-256 digests. A key maps to the one tenant it may publish for.
 * Two sources: `tenant:key` pairs from INGEST_API_KEYS (development), and the digests operators
 * created through the API (table api_keys), replaced as a whole on every refresh so a revoked key
 * stops working at the next refresh.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

export class ApiKeys {
  private readonly byDigest = new Map<string, { tenant: string; digest: Buffer }>();
  private stored = new Map<string, { tenant: string; digest: Buffer }>();

  constructor(pairs: ReadonlyArray<{ tenant: string; key: string }>) {
    for (const { tenant, key } of pairs) {
      const d = digest(key);
      this.byDigest.set(d.toString('hex'), { tenant, digest: d });
    }
  }

  static parse(spec: string): Array<{ tenant: string; key: string }> {
    return spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const colon = pair.indexOf(':');
        if (colon <= 0 || colon === pair.length - 1) throw new Error(`API key entry must be tenant:key, got "${pair.slice(0, 3)}..."`);
        return { tenant: pair.slice(0, colon), key: pair.slice(colon + 1) };
      });
  }

  /** Replaces the keys from the database with the current set of unrevoked ones (hex SHA-256 digests). */
  replaceStored(entries: ReadonlyArray<{ tenant: string; keyHash: string }>): void {
    const next = new Map<string, { tenant: string; digest: Buffer }>();
    for (const { tenant, keyHash } of entries) next.set(keyHash.toLowerCase(), { tenant, digest: Buffer.from(keyHash, 'hex') });
    this.stored = next;
  }

  /** The tenant a presented key belongs to, or null. */
  tenantOf(presented: string): string | null {
    const d = digest(presented);
    const hex = d.toString('hex');
    const hit = this.byDigest.get(hex) ?? this.stored.get(hex);
    return hit && hit.digest.length === d.length && timingSafeEqual(hit.digest, d) ? hit.tenant : null;
  }
}
