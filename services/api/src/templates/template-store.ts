/**
 * A tenant's template versions in Postgres. Every write takes a transaction-scoped advisory lock on
 * the (tenant, template id, channel, locale) it changes, so two writers never pick the same version
 * number or leave two versions active, and announces the change with `NOTIFY templates_changed,
 * '<tenant>'` in the same transaction: running channel workers re-read the tenant's templates once
 * it commits, and never before.
 */
import type { Transaction } from 'kysely';
import { sql, type Database, type Db } from '@notify/db';
import { TEMPLATES_CHANGED } from '@notify/channel';

export interface TemplateSlot {
  tenant: string;
  templateId: string;
  channel: string;
  locale: string;
}

export interface StoredVersion {
  version: number;
  fields: Record<string, string>;
  created_at: Date;
  created_by: string;
  active: boolean;
}

export interface TemplateSummary {
  template_id: string;
  channel: string;
  locale: string;
  active_version: number | null;
  latest_version: number;
  updated_at: Date;
}

type Tx = Transaction<Database>;

async function lockSlot(tx: Tx, s: TemplateSlot): Promise<void> {
  // JSON of the slot: unambiguous for any text, and free of the NUL bytes Postgres refuses in text.
  const key = JSON.stringify(['templates', s.tenant, s.templateId, s.channel, s.locale]);
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}

async function announce(tx: Tx, tenant: string): Promise<void> {
  await sql`select pg_notify(${TEMPLATES_CHANGED}, ${tenant})`.execute(tx);
}

export class TemplateStore {
  constructor(private readonly db: Db) {}

  async list(tenant: string): Promise<TemplateSummary[]> {
    const rows = await this.db
      .selectFrom('templates')
      .select(['template_id', 'channel', 'locale'])
      .select((eb) => [
        eb.fn.max('version').as('latest_version'),
        eb.fn.max('created_at').as('updated_at'),
        sql<number | null>`max(version) filter (where active)`.as('active_version'),
      ])
      .where('tenant', '=', tenant)
      .groupBy(['template_id', 'channel', 'locale'])
      .orderBy('template_id')
      .orderBy('channel')
      .orderBy('locale')
      .execute();
    return rows.map((r) => ({
      template_id: r.template_id,
      channel: r.channel,
      locale: r.locale,
      active_version: r.active_version,
      latest_version: Number(r.latest_version),
      updated_at: new Date(r.updated_at),
    }));
  }

  /** Every version, newest first; empty when the template has none. */
  async versions(s: TemplateSlot): Promise<StoredVersion[]> {
    return this.db
      .selectFrom('templates')
      .select(['version', 'fields', 'created_at', 'created_by', 'active'])
      .where((eb) => eb.and(slotColumns(s)))
      .orderBy('version', 'desc')
      .execute();
  }

  async version(s: TemplateSlot, version: number): Promise<StoredVersion | undefined> {
    return this.db
      .selectFrom('templates')
      .select(['version', 'fields', 'created_at', 'created_by', 'active'])
      .where((eb) => eb.and(slotColumns(s)))
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** Stores the next version (validated by the caller), activating it when asked. */
  async create(
    s: TemplateSlot,
    fields: Record<string, string>,
    createdBy: string,
    activate: boolean,
  ): Promise<{ version: number; active: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      await lockSlot(tx, s);
      const latest = await tx
        .selectFrom('templates')
        .select((eb) => eb.fn.max('version').as('v'))
        .where((eb) => eb.and(slotColumns(s)))
        .executeTakeFirst();
      const version = Number(latest?.v ?? 0) + 1;
      if (activate) await deactivate(tx, s);
      await tx
        .insertInto('templates')
        .values({
          tenant: s.tenant,
          template_id: s.templateId,
          channel: s.channel,
          locale: s.locale,
          version,
          fields: JSON.stringify(fields),
          created_by: createdBy,
          active: activate,
        })
        .execute();
      await announce(tx, s.tenant);
      return { version, active: activate };
    });
  }

  /** Makes `version` the active one (a rollback when it is older); false when there is no such version. */
  async activate(s: TemplateSlot, version: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await lockSlot(tx, s);
      const exists = await tx
        .selectFrom('templates')
        .select('version')
        .where((eb) => eb.and(slotColumns(s)))
        .where('version', '=', version)
        .executeTakeFirst();
      if (!exists) return false;
      await deactivate(tx, s);
      await tx
        .updateTable('templates')
        .set({ active: true })
        .where((eb) => eb.and(slotColumns(s)))
        .where('version', '=', version)
        .execute();
      await announce(tx, s.tenant);
      return true;
    });
  }

  /** Removes every version, so the shipped text applies again; false when there was none. */
  async delete(s: TemplateSlot): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await lockSlot(tx, s);
      const deleted = await tx
        .deleteFrom('templates')
        .where((eb) => eb.and(slotColumns(s)))
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return false;
      await announce(tx, s.tenant);
      return true;
    });
  }
}

async function deactivate(tx: Tx, s: TemplateSlot): Promise<void> {
  await tx
    .updateTable('templates')
    .set({ active: false })
    .where((eb) => eb.and(slotColumns(s)))
    .where('active', '=', true)
    .execute();
}

/** The columns that name a slot (one template id, channel and locale of a tenant), for a where clause. */
function slotColumns(s: TemplateSlot) {
  return { tenant: s.tenant, template_id: s.templateId, channel: s.channel, locale: s.locale };
}
