/**
 * `npm run rekey`: seals every stored contact point with the first key of DATA_KEYS and fills its
 * blind index. Rows written before encryption (clear values, no index) and rows sealed with an older
 * key are rewritten; rows already sealed with the first key and indexed are left alone, so running it
 * again does nothing. Rotation without downtime: add the new key second everywhere, move it first,
 * run this, then drop the old key.
 *
 * Reads DATABASE_URL, DATA_KEYS (or DATA_KEYS_FILE) and BLIND_INDEX_KEY (or BLIND_INDEX_KEY_FILE).
 * Works in batches of rows still to do, each row updated only if it is still as read (a writer that
 * changed it meanwhile wrote it sealed already).
 */
import { readFileSync } from 'node:fs';
import { ContactCipher, createDb, migrateToLatest, sql, type ContactColumn, type Db } from '@notify/db';
import { parseSealingKeys } from '@notify/schemas';

type Row = Record<string, unknown>;

interface TableSpec {
  table: string;
  /** The column a scoped run (tests on a shared database) limits the table by. */
  scopedBy: 'tenant' | 'channel';
  /** Columns that name the row in the update (their values as read). */
  key: string[];
  /** What each value of the row is bound to. */
  subject(row: Row, index: string | null): string;
  /** Text columns; `indexed` ones get `<column>_index`. */
  text: Array<{ column: string; indexed: boolean }>;
  /** jsonb columns, stored as a sealed JSON string. */
  json: string[];
}

const str = (row: Row, column: string): string => String(row[column]);
const holder = (row: Row) => `${str(row, 'tenant')}/${str(row, 'user_id')}`;

export const CONTACT_TABLES: readonly TableSpec[] = [
  {
    table: 'user_contacts',
    scopedBy: 'tenant',
    key: ['tenant', 'user_id'],
    subject: holder,
    text: [
      { column: 'email', indexed: false },
      { column: 'phone', indexed: false },
    ],
    json: ['chat', 'push_subscriptions'],
  },
  {
    table: 'devices',
    scopedBy: 'tenant',
    key: ['device_id'],
    subject: holder,
    text: [{ column: 'token', indexed: true }],
    json: ['subscription'],
  },
  {
    table: 'phone_verifications',
    scopedBy: 'tenant',
    key: ['id'],
    subject: (row) => str(row, 'id'),
    text: [{ column: 'phone', indexed: true }],
    json: [],
  },
  {
    table: 'push_subscription_removals',
    scopedBy: 'tenant',
    key: ['tenant', 'user_id', 'endpoint'],
    subject: holder,
    text: [{ column: 'endpoint', indexed: true }],
    json: [],
  },
  {
    table: 'channel_outbox',
    scopedBy: 'tenant',
    key: ['notification_id'],
    subject: (row) => str(row, 'notification_id'),
    text: [{ column: 'address', indexed: false }],
    json: [],
  },
  {
    table: 'channel_opt_outs',
    scopedBy: 'channel',
    key: ['channel', 'address'],
    subject: (row, index) => `${str(row, 'channel')}/${index ?? ''}`,
    text: [{ column: 'address', indexed: true }],
    json: [],
  },
];

export interface RekeyCounts {
  [table: string]: { rewritten: number; duplicatesDropped: number };
}

export interface RekeyOptions {
  batchSize?: number;
  /** Only rows of this tenant (opt-outs: of this channel); tests share one database. */
  scope?: string;
}

/** Rewrites every row of CONTACT_TABLES not yet sealed with the first key and indexed; returns the counts per table. */
export async function rekey(db: Db, contacts: ContactCipher, currentKid: string, options: RekeyOptions = {}): Promise<RekeyCounts> {
  const counts: RekeyCounts = {};
  for (const spec of CONTACT_TABLES) counts[spec.table] = await rekeyTable(db, contacts, `sealed.v1.${currentKid}.%`, spec, options);
  return counts;
}

async function rekeyTable(db: Db, contacts: ContactCipher, current: string, spec: TableSpec, options: RekeyOptions) {
  const count = { rewritten: 0, duplicatesDropped: 0 };
  const pending = sql.join(
    [
      ...spec.text.map(({ column, indexed }) =>
        indexed
          ? sql`(${sql.ref(column)} is not null and (${sql.ref(column)} not like ${current} or ${sql.ref(`${column}_index`)} is null))`
          : sql`(${sql.ref(column)} is not null and ${sql.ref(column)} not like ${current})`,
      ),
      ...spec.json.map(
        (column) =>
          sql`(${sql.ref(column)} is not null and (jsonb_typeof(${sql.ref(column)}) <> 'string' or ${sql.ref(column)} #>> '{}' not like ${current}))`,
      ),
    ],
    sql` or `,
  );
  const scope = options.scope === undefined ? sql`true` : sql`${sql.ref(spec.scopedBy)} = ${options.scope}`;
  for (;;) {
    const { rows } =
      await sql<Row>`select * from ${sql.table(spec.table)} where (${pending}) and ${scope} limit ${options.batchSize ?? 500}`.execute(db);
    if (rows.length === 0) return count;
    for (const row of rows) {
      if (await rewrite(db, contacts, spec, row)) count.rewritten += 1;
      else count.duplicatesDropped += 1;
    }
  }
}

/** Rewrites one row; false when a sealed row of the same value already held its unique index, and this older copy was dropped. */
async function rewrite(db: Db, contacts: ContactCipher, spec: TableSpec, row: Row): Promise<boolean> {
  const set: Array<[string, unknown]> = [];
  // A subject that names the index (opt-outs) needs the index before sealing.
  const indexed = spec.text.find((t) => t.indexed);
  const plainOf = (column: string, index: string | null) =>
    contacts.open(`${spec.table}.${column}` as ContactColumn, spec.subject(row, index), str(row, column));
  let index: string | null = null;
  if (indexed && row[indexed.column] !== null) {
    const stored = row[`${indexed.column}_index`];
    const knownIndex = typeof stored === 'string' ? stored : null;
    const plain = plainOf(indexed.column, knownIndex);
    index = contacts.index(`${spec.table}.${indexed.column}` as ContactColumn, plain);
  }
  const subject = spec.subject(row, index);
  for (const { column, indexed: hasIndex } of spec.text) {
    if (row[column] === null) continue;
    const name = `${spec.table}.${column}` as ContactColumn;
    const plain = contacts.open(name, spec.subject(row, hasIndex ? (row[`${column}_index`] as string | null) : null), str(row, column));
    set.push([column, contacts.seal(name, subject, plain)]);
    if (hasIndex) set.push([`${column}_index`, index]);
  }
  for (const column of spec.json) {
    if (row[column] === null) continue;
    const name = `${spec.table}.${column}` as ContactColumn;
    set.push([column, JSON.stringify(contacts.sealJson(name, subject, contacts.openJson(name, subject, row[column])))]);
  }
  const where = sql.join(
    spec.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
    sql` and `,
  );
  const assignments = sql.join(
    set.map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
    sql`, `,
  );
  try {
    await sql`update ${sql.table(spec.table)} set ${assignments} where ${where}`.execute(db);
    return true;
  } catch (error) {
    // The same value was written sealed since (the unique index names it): that row is the current one.
    if ((error as { code?: string }).code !== '23505') throw error;
    await sql`delete from ${sql.table(spec.table)} where ${where}`.execute(db);
    return false;
  }
}

function setting(env: NodeJS.ProcessEnv, name: string): string {
  const file = env[`${name}_FILE`];
  const value = file ? readFileSync(file, 'utf8').trim() : env[name];
  if (!value) throw new Error(`${name} (or ${name}_FILE) is required`);
  return value;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const keys = parseSealingKeys(setting(env, 'DATA_KEYS'));
  const contacts = new ContactCipher(keys, setting(env, 'BLIND_INDEX_KEY'));
  const db = createDb(setting(env, 'DATABASE_URL'), 2);
  try {
    await migrateToLatest(db);
    const counts = await rekey(db, contacts, keys[0]?.kid ?? '');
    for (const [table, c] of Object.entries(counts)) {
      console.log(`${table}: ${c.rewritten} rows sealed with ${keys[0]?.kid}, ${c.duplicatesDropped} older duplicates dropped`);
    }
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
