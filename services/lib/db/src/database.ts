/** A kysely instance over a pg pool; callers own its lifetime (destroy() on shutdown). */
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import { Pool } from 'pg';
import * as m0001 from './migrations/0001_inbox_and_claims';
import * as m0002 from './migrations/0002_audiences';
import * as m0003 from './migrations/0003_api';
import * as m0004 from './migrations/0004_preferences';
import * as m0005 from './migrations/0005_channels';
import * as m0006 from './migrations/0006_push';
import * as m0007 from './migrations/0007_tracker';
import * as m0008 from './migrations/0008_channel_message_digests';
import * as m0009 from './migrations/0009_personal_data_subjects';
import * as m0010 from './migrations/0010_ingest_dedupe';
import * as m0011 from './migrations/0011_contact_audiences';
import * as m0012 from './migrations/0012_channel_message_timeouts';
import * as m0013 from './migrations/0013_replay_numbers';
import * as m0016 from './migrations/0016_summary_replays';
import * as m0015 from './migrations/0015_devices';
import * as m0017 from './migrations/0017_templates';
import * as m0018 from './migrations/0018_user_webhook_secrets';
import * as m0019 from './migrations/0019_idempotency_answer_text';
import * as m0020 from './migrations/0020_personal_data_keys';
import * as m0021 from './migrations/0021_contact_points_encrypted';
import * as m0022 from './migrations/0022_webhook_endpoint_health';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export function createDb(url: string, maxConnections = 10): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: maxConnections }) }) });
}

/** Migrations are listed in code (not read from disk) so bundles and tests see the same set. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_inbox_and_claims': m0001,
  '0002_audiences': m0002,
  '0003_api': m0003,
  '0004_preferences': m0004,
  '0005_channels': m0005,
  '0006_push': m0006,
  '0007_tracker': m0007,
  '0008_channel_message_digests': m0008,
  '0009_personal_data_subjects': m0009,
  '0010_ingest_dedupe': m0010,
  '0011_contact_audiences': m0011,
  '0012_channel_message_timeouts': m0012,
  '0013_replay_numbers': m0013,
  '0015_devices': m0015,
  '0016_summary_replays': m0016,
  '0017_templates': m0017,
  '0018_user_webhook_secrets': m0018,
  '0019_idempotency_answer_text': m0019,
  '0020_personal_data_keys': m0020,
  '0021_contact_points_encrypted': m0021,
  '0022_webhook_endpoint_health': m0022,
};

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Names of the migrations already run against this database; none when it was never migrated. */
async function executedMigrations(db: Db): Promise<string[]> {
  const exists = await sql<{ found: string | null }>`select to_regclass('kysely_migration')::text as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  return (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name);
}

/**
 * Brings the schema to the latest migration; safe when several services start at once (kysely takes a
 * lock). A database that a newer release has already migrated further is left alone: during a rolling
 * upgrade old replicas keep starting, and every migration is additive, so they run on the newer schema.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const newer = (await executedMigrations(db)).filter((name) => !Object.hasOwn(MIGRATIONS, name));
  if (newer.length > 0) return [];
  // Migrations land from parallel branches; a lower number arriving after a higher one has run must still apply.
  const migrator = new Migrator({ db, provider: new StaticMigrations(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
