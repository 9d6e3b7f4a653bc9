/**
 * A cursor over parsed YAML that knows its path (for messages) and its line (for RuleFileError).
 * Reading helpers fail with a RuleProblem located at the node, so validation code reads top-down
 * without threading positions around.
 */
import type { SourceLines } from './yaml-source';

export class RuleProblem extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(reason);
    this.name = 'RuleProblem';
  }
}

export class YamlNode {
  private constructor(
    readonly value: unknown,
    readonly path: string,
    private readonly lines: SourceLines,
    private readonly parent: YamlNode | undefined,
    private readonly key: string | number | undefined,
  ) {}

  static root(value: unknown, lines: SourceLines): YamlNode {
    return new YamlNode(value, '', lines, undefined, undefined);
  }

  /** The node's own line, else the line of its key in the parent, else the nearest ancestor's line. */
  line(): number {
    if (typeof this.value === 'object' && this.value !== null) {
      const own = this.lines.lineOf(this.value);
      if (own !== undefined) return own;
    }
    if (this.parent && this.key !== undefined && isContainer(this.parent.value)) {
      const entry = this.lines.entryLine(this.parent.value, this.key);
      if (entry !== undefined) return entry;
    }
    return this.parent ? this.parent.line() : 1;
  }

  fail(reason: string): never {
    throw new RuleProblem(this.path ? `${this.path}: ${reason}` : reason, this.line());
  }

  isMissing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /**
   * Asserts a mapping. With `allowed`, every key must be listed: a stray key is usually a typo
   * (`bypass_quiet_hour`) that would otherwise be ignored without a word.
   */
  mapping(allowed?: readonly string[]): YamlNode {
    if (!isPlainMapping(this.value)) this.fail(`expected a mapping, got ${describe(this.value)}`);
    for (const key of Object.keys(this.value)) {
      if (allowed && !allowed.includes(key)) this.child(key).fail(`unknown key (expected one of ${allowed.join(', ')})`);
    }
    return this;
  }

  child(key: string): YamlNode {
    const value = isPlainMapping(this.value) ? this.value[key] : undefined;
    return new YamlNode(value, this.path ? `${this.path}.${key}` : key, this.lines, this, key);
  }

  items(): YamlNode[] {
    if (!Array.isArray(this.value)) this.fail(`expected a list, got ${describe(this.value)}`);
    const list: readonly unknown[] = this.value;
    return list.map((item, index) => new YamlNode(item, `${this.path}[${index}]`, this.lines, this, index));
  }

  /** Keys of a mapping, in file order. */
  keys(): string[] {
    return isPlainMapping(this.value) ? Object.keys(this.value) : [];
  }

  string(): string {
    if (typeof this.value !== 'string' || this.value.trim() === '') {
      this.fail(`expected a non-empty string, got ${describe(this.value)}`);
    }
    return this.value;
  }

  optionalString(): string | undefined {
    return this.isMissing() ? undefined : this.string();
  }

  optionalBoolean(): boolean | undefined {
    if (this.isMissing()) return undefined;
    if (typeof this.value !== 'boolean') this.fail(`expected true or false, got ${describe(this.value)}`);
    return this.value;
  }

  /** A list of non-empty strings; a single string is accepted as a list of one. */
  stringList(): string[] {
    if (typeof this.value === 'string') return [this.string()];
    return this.items().map((item) => item.string());
  }
}

export function isPlainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
