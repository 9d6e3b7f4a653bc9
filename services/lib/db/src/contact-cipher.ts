/**
 * Contact points at rest: every email, phone number, chat URL, push token and endpoint is stored
 * sealed (AES-256-GCM under DATA_KEYS, `sealed.v1.<kid>.…`), bound to its column and row as
 * associated data, so a ciphertext copied into another row or column does not open. Where the code
 * must find a row by the value (an opt-out by address, a device by token) a blind index column
 * (`<column>_index`, keyed HMAC under BLIND_INDEX_KEY, one purpose per column) stands in for it.
 *
 * Rows written before migration 0021 hold the value in clear and no index: they still open (a value
 * that is not sealed is returned as it is) and are still found (`matches` falls back to the clear
 * value where the index is null) until `npm run rekey` seals and indexes them.
 */
import { BlindIndex, isSealed, Sealer, type SealingKey } from '@notify/schemas';
import { sql, type RawBuilder } from 'kysely';

/** The columns that hold a contact point; their blind index, where they have one, is `<column>_index`. */
export type ContactColumn =
  | 'user_contacts.email'
  | 'user_contacts.phone'
  | 'user_contacts.chat'
  | 'user_contacts.push_subscriptions'
  | 'devices.token'
  | 'devices.subscription'
  | 'phone_verifications.phone'
  | 'push_subscription_removals.endpoint'
  | 'channel_outbox.address'
  | 'channel_opt_outs.address';

type Row = Record<string, unknown>;

/** Where contact points are stored: their columns, what each value is bound to, which have a blind index. */
export interface ContactTable {
  table: string;
  /** The column that limits a run to one tenant (opt-outs have no tenant: their channel). */
  scopedBy: 'tenant' | 'channel';
  /** Columns that name a row. */
  key: string[];
  /** What the row's values are bound to; `index` is the row's blind index (opt-outs are bound to it). */
  subject(row: Row, index: string | null): string;
  /** Text columns; an `indexed` one has `<column>_index`. */
  text: Array<{ column: string; indexed: boolean }>;
  /** jsonb columns, which hold a sealed JSON string. */
  json: string[];
}

const text = (row: Row, column: string): string => String(row[column]);
const holder = (row: Row): string => `${text(row, 'tenant')}/${text(row, 'user_id')}`;

export const CONTACT_TABLES: readonly ContactTable[] = [
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
    subject: (row) => text(row, 'id'),
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
    subject: (row) => text(row, 'notification_id'),
    text: [{ column: 'address', indexed: false }],
    json: [],
  },
  {
    table: 'channel_opt_outs',
    scopedBy: 'channel',
    key: ['channel', 'address'],
    subject: (row, index) => `${text(row, 'channel')}/${index ?? ''}`,
    text: [{ column: 'address', indexed: true }],
    json: [],
  },
];

export class ContactCipher {
  private readonly sealer: Sealer;
  private readonly blindIndex: BlindIndex;
  private readonly currentPrefix: string;

  constructor(keys: readonly SealingKey[], blindIndexKey: string) {
    this.sealer = new Sealer(keys);
    this.blindIndex = new BlindIndex(blindIndexKey);
    this.currentPrefix = `sealed.v1.${(keys[0] as SealingKey).kid}.`;
  }

  /** Seals `value` for `column` of the row named `row` (its key, e.g. `<tenant>/<user_id>`). */
  seal(column: ContactColumn, row: string, value: string): string {
    return this.sealer.seal(value, `${column}:${row}`);
  }

  sealNullable(column: ContactColumn, row: string, value: string | null): string | null {
    return value === null ? null : this.seal(column, row, value);
  }

  /** The value stored in `column` of `row`: opened when sealed, as it is when written before encryption. */
  open(column: ContactColumn, row: string, stored: string): string {
    return isSealed(stored) ? this.sealer.open(stored, `${column}:${row}`) : stored;
  }

  openNullable(column: ContactColumn, row: string, stored: string | null): string | null {
    return stored === null ? null : this.open(column, row, stored);
  }

  /** A jsonb column's value as sealed text (stored as a JSON string). */
  sealJson(column: ContactColumn, row: string, value: unknown): string {
    return this.seal(column, row, JSON.stringify(value));
  }

  /** A jsonb column's value: a sealed JSON string opened and parsed, or the plain JSON of an older row. */
  openJson(column: ContactColumn, row: string, stored: unknown): unknown {
    return isSealed(stored) ? (JSON.parse(this.sealer.open(stored, `${column}:${row}`)) as unknown) : stored;
  }

  /** The blind index of `value` in `column`. Callers index the form they look up by (E.164, the exact token). */
  index(column: ContactColumn, value: string): string {
    return this.blindIndex.of(column, value);
  }

  /** Whether a stored value is sealed with the first key of the ring: what `rekey` leaves every value as. */
  isCurrent(stored: unknown): boolean {
    return typeof stored === 'string' && stored.startsWith(this.currentPrefix);
  }

  /**
   * A row of any table read raw (`select *`, as the data export and rekey read them) with its contact
   * points opened; rows of tables without contact points come back as they are.
   */
  openRow(table: string, row: Row): Row {
    const spec = CONTACT_TABLES.find((t) => t.table === table);
    if (!spec) return row;
    const opened: Row = { ...row };
    for (const { column, indexed } of spec.text) {
      const stored = row[column];
      const index = indexed && typeof row[`${column}_index`] === 'string' ? (row[`${column}_index`] as string) : null;
      if (typeof stored === 'string') opened[column] = this.open(`${table}.${column}` as ContactColumn, spec.subject(row, index), stored);
    }
    for (const column of spec.json) {
      if (row[column] !== null) opened[column] = this.openJson(`${table}.${column}` as ContactColumn, spec.subject(row, null), row[column]);
    }
    return opened;
  }

  /**
   * A condition true where `column` (of the table or alias `from`) holds `value`: by its blind index,
   * or by the clear value in a row written before encryption that `rekey` has not reached.
   */
  matches(column: ContactColumn, value: string, from?: string): RawBuilder<boolean> {
    const name = column.slice(column.indexOf('.') + 1);
    const table = from ?? column.slice(0, column.indexOf('.'));
    const plain = sql.ref(`${table}.${name}`);
    const index = sql.ref(`${table}.${name}_index`);
    return sql<boolean>`(${index} = ${this.index(column, value)} or (${index} is null and ${plain} = ${value}))`;
  }
}
