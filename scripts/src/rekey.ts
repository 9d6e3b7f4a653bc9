/**
 * `npm run rekey`: seals every stored contact point with the first key of DATA_KEYS and fills its
 * blind index. Rows written before encryption (clear values, no index) and rows sealed with an older
 * key are rewritten; rows already sealed with the first key and indexed are left alone, so running it
 * again does nothing. Rotation without downtime: add the new key second everywhere, move it first,
 * run this, then drop the old key.
 *
 * Reads DATABASE_URL, DATA_KEYS (or DATA_KEYS_FILE) and BLIND_INDEX_KEY (or BLIND_INDEX_KEY_FILE).
 * Works in batches of rows still to do, each row updated only if its contact points are still as
 * read: a writer that changed one meanwhile sealed it with the current key, and its value must win.
 */
import { readFileSync } from 'node:fs';
import { CONTACT_TABLES, ContactCipher, createDb, migrateToLatest, sql, type ContactColumn, type ContactTable, type Db } from '@notify/db';
import { parseSealingKeys } from '@notify/schemas';

type Row = Record<string, unknown>;

export interface RekeyCounts {
  [table: string]: { rewritten: number; duplicatesDropped: number; changedMeanwhile: number };
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

async function rekeyTable(db: Db, contacts: ContactCipher, current: string, spec: ContactTable, options: RekeyOptions) {
  const count = { rewritten: 0, duplicatesDropped: 0, changedMeanwhile: 0 };
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
  let stalled = 0;
  const scope = options.scope === undefined ? sql`true` : sql`${sql.ref(spec.scopedBy)} = ${options.scope}`;
  for (;;) {
    const { rows } =
      await sql<Row>`select * from ${sql.table(spec.table)} where (${pending}) and ${scope} limit ${options.batchSize ?? 500}`.execute(db);
    if (rows.length === 0) return count;
    let progress = 0;
    for (const row of rows) {
      const outcome = await rewrite(db, contacts, spec, row);
      if (outcome === 'rewritten') count.rewritten += 1;
      if (outcome === 'dropped') count.duplicatesDropped += 1;
      if (outcome === 'changed') count.changedMeanwhile += 1;
      else progress += 1;
    }
    // Rows that writers keep changing under us are picked up again; a batch of only those twice over would be a loop.
    if (progress === 0 && ++stalled > 2) throw new Error(`${spec.table}: rows keep changing while being rekeyed; run rekey again`);
    if (progress > 0) stalled = 0;
  }
}

/**
 * Rewrites one row: `dropped` when a sealed row of the same value already holds its unique index (this
 * older copy is deleted), `changed` when a writer changed the row since it was read (left to it).
 */
async function rewrite(db: Db, contacts: ContactCipher, spec: ContactTable, row: Row): Promise<'rewritten' | 'dropped' | 'changed'> {
  const opened = contacts.openRow(spec.table, row);
  const name = (column: string) => `${spec.table}.${column}` as ContactColumn;
  // The index comes first: opt-outs are bound to theirs.
  const indexed = spec.text.find((t) => t.indexed && typeof opened[t.column] === 'string');
  const index = indexed ? contacts.index(name(indexed.column), String(opened[indexed.column])) : null;
  const subject = spec.subject(row, index);
  const set: Array<[string, unknown]> = [];
  for (const { column, indexed: hasIndex } of spec.text) {
    if (typeof opened[column] !== 'string') continue;
    set.push([column, contacts.seal(name(column), subject, String(opened[column]))]);
    if (hasIndex) set.push([`${column}_index`, index]);
  }
  for (const column of spec.json) {
    if (row[column] !== null) set.push([column, JSON.stringify(contacts.sealJson(name(column), subject, opened[column]))]);
  }
  const where = sql.join(
    [
      ...spec.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
      ...spec.text.map(({ column }) => sql`${sql.ref(column)} is not distinct from ${row[column]}`),
      ...spec.json.map(
        (column) => sql`${sql.ref(column)} is not distinct from ${row[column] === null ? null : JSON.stringify(row[column])}::jsonb`,
      ),
    ],
    sql` and `,
  );
  const assignments = sql.join(
    set.map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
    sql`, `,
  );
  try {
    const updated = await sql`update ${sql.table(spec.table)} set ${assignments} where ${where}`.execute(db);
    return Number(updated.numAffectedRows ?? 0) === 1 ? 'rewritten' : 'changed';
  } catch (error) {
    // The same value was written sealed since (the unique index names it): that row is the current one.
    if ((error as { code?: string }).code !== '23505') throw error;
    const deleted = await sql`delete from ${sql.table(spec.table)} where ${where}`.execute(db);
    return Number(deleted.numAffectedRows ?? 0) === 1 ? 'dropped' : 'changed';
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
      console.log(
        `${table}: ${c.rewritten} rows sealed with ${keys[0]?.kid}, ${c.duplicatesDropped} older duplicates dropped, ${c.changedMeanwhile} changed meanwhile by a writer`,
      );
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
