/**
 * Keeps ApiKeys in step with the api_keys table the API's operators manage: the unrevoked digests are
 * read at start and every `refreshMs` (the cache TTL: how long a new key waits to work, and a revoked
 * one keeps working). A failed refresh keeps the previous set and is retried at the next tick.
 */
import type { Db } from '@notify/db';
import type { Logger } from '@notify/runner';
import type { ApiKeys } from './api-keys';

export class StoredApiKeys {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly keys: ApiKeys,
    private readonly refreshMs: number,
    private readonly log: Logger,
  ) {}

  async refresh(): Promise<number> {
    const rows = await this.db.selectFrom('api_keys').select(['tenant', 'key_hash']).where('revoked_at', 'is', null).execute();
    this.keys.replaceStored(rows.map((r) => ({ tenant: r.tenant, keyHash: r.key_hash })));
    return rows.length;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.log.warn({ err: error }, 'API key refresh failed; keeping the previous keys'));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
