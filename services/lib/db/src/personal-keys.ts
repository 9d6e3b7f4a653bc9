/**
 * Crypto-shredding: each user's contact points travel in Kafka records sealed with a data key of the
 * user's own (`personal.v1.<key id>.…`, AES-256-GCM bound to the `<tenant>/<user_id>` key), and that
 * key lives only here, in personal_data_keys, wrapped by DATA_KEYS. Erasing the user deletes the row:
 * every copy of those values, on every topic, in the DLQ and in backups, can no longer be opened.
 *
 * Readers cache keys for `cacheMs` (30 s by default), so a worker stops opening an erased user's
 * values at most that long after the erasure; a key that is gone is remembered as gone as long.
 */
import { randomBytes } from 'node:crypto';
import { recipientKey, Sealer, sealedKeyId, SealError } from '@notify/schemas';
import type { Db } from './database';

export const PERSONAL_PREFIX = 'personal.v1.';

/** The value's user was erased: their key is gone, and so is every way to read the value. */
export class ErasedError extends Error {
  constructor(keyId: string) {
    super(`the data key ${keyId} was erased with its user`);
    this.name = 'ErasedError';
  }
}

export function isPersonal(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PERSONAL_PREFIX);
}

export interface PersonalKeysOptions {
  cacheMs?: number;
  maxCached?: number;
  now?: () => number;
}

interface Cached {
  /** null: erased. */
  sealer: Sealer | null;
  /** `<tenant>/<user_id>` of the key's user. */
  owner: string;
  until: number;
}

/** Binds a wrapped key to its row, so a wrapped key copied to another user's row does not open. */
const wrapBinding = (keyId: string, owner: string) => `personal_data_keys:${keyId}:${owner}`;

export class PersonalKeys {
  private readonly byId = new Map<string, Cached>();
  private readonly idByOwner = new Map<string, string>();
  private readonly cacheMs: number;
  private readonly maxCached: number;
  private readonly now: () => number;

  /** `wrapping` holds DATA_KEYS. */
  constructor(
    private readonly db: Db,
    private readonly wrapping: Sealer,
    options: PersonalKeysOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 30_000;
    this.maxCached = options.maxCached ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Seals `value` with the user's key, creating the key on the user's first sealed value. */
  async seal(tenant: string, userId: string, value: string): Promise<string> {
    return (await this.sealing(tenant, userId))(value);
  }

  /** A function sealing values of one user, for a record with several (one key lookup for all). */
  async sealing(tenant: string, userId: string): Promise<(value: string) => string> {
    const owner = recipientKey(tenant, userId);
    const sealer = await this.sealerOf(tenant, userId, owner);
    return (value) => sealer.seal(value, owner);
  }

  /** Opens a personal value of `recipient` (`<tenant>/<user_id>`); ErasedError when its user was erased. */
  async open(value: string, recipient: string): Promise<string> {
    const keyId = sealedKeyId(value, PERSONAL_PREFIX);
    if (keyId === null) throw new SealError('not a personal value');
    const cached = await this.byKeyId(keyId);
    if (cached.sealer === null) throw new ErasedError(keyId);
    // The associated data binds the value to its user as well; this says so plainly.
    if (cached.owner !== recipient) throw new SealError(`the data key ${keyId} is not ${recipient}'s`);
    return cached.sealer.open(value, recipient);
  }

  /**
   * `value` with every personal string in it opened, however deep (a record, a JSON address listing
   * several devices); ErasedError when one belongs to an erased user.
   */
  async openAll<T>(value: T, recipient: string): Promise<T> {
    if (isPersonal(value)) return (await this.open(value, recipient)) as T;
    if (Array.isArray(value)) return (await Promise.all(value.map((v: unknown) => this.openAll(v, recipient)))) as T;
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
      const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await this.openAll(v, recipient)] as const));
      return Object.fromEntries(entries) as T;
    }
    return value;
  }

  /** Drops what this process remembers of a user (after erasing them, so a later value gets a new key). */
  forget(tenant: string, userId: string): void {
    const owner = recipientKey(tenant, userId);
    const keyId = this.idByOwner.get(owner);
    this.idByOwner.delete(owner);
    if (keyId) this.byId.delete(keyId);
  }

  private async sealerOf(tenant: string, userId: string, owner: string): Promise<Sealer> {
    const known = this.idByOwner.get(owner);
    const cached = known ? this.byId.get(known) : undefined;
    if (cached?.sealer && cached.until > this.now()) return cached.sealer;
    const stored = await this.storedKeyOf(tenant, userId);
    if (stored) return this.remember(stored.key_id, owner, stored.wrapped_key).sealer as Sealer;
    const keyId = randomBytes(16).toString('base64url');
    const key = randomBytes(32);
    await this.db
      .insertInto('personal_data_keys')
      .values({
        key_id: keyId,
        tenant,
        user_id: userId,
        wrapped_key: this.wrapping.seal(key.toString('base64'), wrapBinding(keyId, owner)),
      })
      .onConflict((c) => c.columns(['tenant', 'user_id']).doNothing())
      .execute();
    // Whoever inserted first, every writer uses the one stored key.
    const row = await this.storedKeyOf(tenant, userId);
    if (!row) throw new Error(`the data key of ${owner} was erased while it was being created`);
    return this.remember(row.key_id, owner, row.wrapped_key).sealer as Sealer;
  }

  private storedKeyOf(tenant: string, userId: string) {
    return this.db
      .selectFrom('personal_data_keys')
      .select(['key_id', 'wrapped_key'])
      .where('tenant', '=', tenant)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  private async byKeyId(keyId: string): Promise<Cached> {
    const cached = this.byId.get(keyId);
    if (cached && cached.until > this.now()) return cached;
    const row = await this.db
      .selectFrom('personal_data_keys')
      .select(['tenant', 'user_id', 'wrapped_key'])
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    if (!row) return this.remember(keyId, cached?.owner ?? '', null);
    return this.remember(keyId, recipientKey(row.tenant, row.user_id), row.wrapped_key);
  }

  private remember(keyId: string, owner: string, wrapped: string | null): Cached {
    if (this.byId.size >= this.maxCached) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
    }
    if (this.idByOwner.size >= this.maxCached) this.idByOwner.clear();
    const sealer =
      wrapped === null
        ? null
        : new Sealer([{ kid: keyId, key: Buffer.from(this.wrapping.open(wrapped, wrapBinding(keyId, owner)), 'base64') }], PERSONAL_PREFIX);
    const entry: Cached = { sealer, owner, until: this.now() + this.cacheMs };
    this.byId.delete(keyId);
    this.byId.set(keyId, entry);
    if (sealer) this.idByOwner.set(owner, keyId);
    return entry;
  }
}
