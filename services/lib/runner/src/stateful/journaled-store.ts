/**
 * An in-memory key-value store whose changes can be undone. The stateful runner opens a unit of work
 * before every transaction and either commits it (the changes were written to the changelog in the
 * same Kafka transaction as the outputs and offsets) or rolls it back (the transaction aborted, so
 * memory must go back to what the changelog still says).
 *
 * Values are mutable objects: `mutable(key)` snapshots a value the first time a unit touches it, so
 * handlers may change it in place and a rollback still restores the original.
 */
export class JournaledStore<V> {
  private readonly values = new Map<string, V>();
  /** Value before the unit first touched the key; undefined when the key was absent. */
  private readonly journal = new Map<string, V | undefined>();
  private open = false;

  constructor(private readonly clone: (value: V) => V) {}

  get size(): number {
    return this.values.size;
  }

  /** Read-only view; do not mutate the result, use mutable() for that. */
  peek(key: string): V | undefined {
    return this.values.get(key);
  }

  keys(): IterableIterator<string> {
    return this.values.keys();
  }

  /** The value to change in place (created with `create` when absent); marks the key dirty. */
  mutable(key: string, create: () => V): V {
    this.remember(key);
    let value = this.values.get(key);
    if (value === undefined) {
      value = create();
      this.values.set(key, value);
    }
    return value;
  }

  delete(key: string): void {
    this.remember(key);
    this.values.delete(key);
  }

  /** Loads a value outside any unit of work (restore from the changelog). */
  load(key: string, value: V | undefined): void {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }

  begin(): void {
    if (this.open) throw new Error('a unit of work is already open');
    this.open = true;
    this.journal.clear();
  }

  /** Keys changed in the open unit. */
  dirtyKeys(): string[] {
    return [...this.journal.keys()];
  }

  commit(): void {
    this.open = false;
    this.journal.clear();
  }

  /** Restores every key the unit touched; returns those keys. */
  rollback(): string[] {
    const keys = [...this.journal.keys()];
    for (const [key, before] of this.journal) {
      if (before === undefined) this.values.delete(key);
      else this.values.set(key, before);
    }
    this.open = false;
    this.journal.clear();
    return keys;
  }

  private remember(key: string): void {
    if (!this.open) throw new Error('state changes need an open unit of work');
    if (this.journal.has(key)) return;
    const current = this.values.get(key);
    this.journal.set(key, current === undefined ? undefined : this.clone(current));
  }
}
