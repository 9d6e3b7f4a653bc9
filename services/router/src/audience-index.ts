/**
 * The audience index in Postgres (table audience_members, migration 0002): written from the
 * compacted notifications.recipients topic, read page by page during fan-out. Pages use keyset
 * pagination on the primary key (tenant, audience, user_id), so each page is an index range scan
 * whatever the audience size, and nothing but one page is ever held in memory.
 */
import { RetryableError, errorMessage } from '@notify/errors';
import { sql, type Db } from '@notify/db';

/** A recipient's memberships as of its latest record; an empty list removes it from every audience. */
export interface Membership {
  tenant: string;
  userId: string;
  audiences: readonly string[];
}

export class AudienceIndex {
  constructor(private readonly db: Db) {}

  /** Replaces the memberships of every recipient named, in one transaction. Later entries for the same recipient win. */
  async replace(memberships: readonly Membership[]): Promise<void> {
    if (memberships.length === 0) return;
    const latest = new Map<string, Membership>();
    for (const m of memberships) latest.set(`${m.tenant}/${m.userId}`, m);
    const keys = [...latest.values()];
    const rows = keys.flatMap((m) => [...new Set(m.audiences)].map((audience) => ({ tenant: m.tenant, audience, user_id: m.userId })));
    await this.guard('replace memberships', () =>
      this.db.transaction().execute(async (trx) => {
        await sql`
        DELETE FROM audience_members AS a
        USING unnest(${keys.map((k) => k.tenant)}::text[], ${keys.map((k) => k.userId)}::text[]) AS k(tenant, user_id)
        WHERE a.tenant = k.tenant AND a.user_id = k.user_id`.execute(trx);
        if (rows.length === 0) return;
        await sql`
        INSERT INTO audience_members (tenant, audience, user_id)
        SELECT * FROM unnest(${rows.map((r) => r.tenant)}::text[], ${rows.map((r) => r.audience)}::text[], ${rows.map((r) => r.user_id)}::text[])
        ON CONFLICT DO NOTHING`.execute(trx);
      }),
    );
  }

  /**
   * Up to `limit` distinct members of any of `audiences`, in user id order, after the cursor
   * (null: from the start). Fewer than `limit` means the audiences are exhausted. With several
   * audiences each contributes at most `limit` rows, so a page costs O(audiences x limit).
   */
  async members(tenant: string, audiences: readonly string[], afterUserId: string | null, limit: number): Promise<string[]> {
    if (audiences.length === 0) return [];
    // User ids are never empty, so '' sorts before every one of them.
    const after = afterUserId ?? '';
    const result = await this.guard('read audience page', () =>
      sql<{ user_id: string }>`
      SELECT DISTINCT page.user_id
      FROM unnest(${[...audiences]}::text[]) AS wanted(audience)
      CROSS JOIN LATERAL (
        SELECT m.user_id FROM audience_members AS m
        WHERE m.tenant = ${tenant} AND m.audience = wanted.audience AND m.user_id > ${after}
        ORDER BY m.user_id
        LIMIT ${limit}
      ) AS page
      ORDER BY page.user_id
      LIMIT ${limit}`.execute(this.db),
    );
    return result.rows.map((r) => r.user_id);
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (cause) {
      throw new RetryableError('audience_index_unavailable', `cannot ${what}: ${errorMessage(cause)}`, { cause });
    }
  }
}
