/** Producer API keys per tenant in Postgres: create, list (never the digest), revoke. */
import type { Db } from '@notify/db';
import type { NewApiKey } from './api-key-secret';

export interface ApiKeyInfo {
  id: string;
  tenant: string;
  name: string;
  key_prefix: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = ['id', 'tenant', 'name', 'key_prefix', 'created_by', 'created_at', 'revoked_at'] as const;

export class ApiKeyStore {
  constructor(private readonly db: Db) {}

  async create(tenant: string, name: string, createdBy: string, key: NewApiKey): Promise<ApiKeyInfo> {
    return this.db
      .insertInto('api_keys')
      .values({ id: key.id, tenant, name, key_prefix: key.prefix, key_hash: key.hash, created_by: createdBy })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async list(tenant: string | null): Promise<ApiKeyInfo[]> {
    let q = this.db.selectFrom('api_keys').select(COLUMNS).orderBy('created_at', 'desc').orderBy('id');
    if (tenant !== null) q = q.where('tenant', '=', tenant);
    return q.execute();
  }

  /** Revoking twice keeps the first time. A key of another tenant than `tenant` (null: any) is not found. */
  async revoke(id: string, tenant: string | null, at: Date): Promise<ApiKeyInfo | undefined> {
    let q = this.db
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
      .where('id', '=', id);
    if (tenant !== null) q = q.where('tenant', '=', tenant);
    return q.returning(COLUMNS).executeTakeFirst();
  }
}
