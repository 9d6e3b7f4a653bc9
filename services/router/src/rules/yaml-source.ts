/**
 * Parses YAML and remembers where each mapping, sequence and key came from, so that a rule which
 * parses but makes no sense can still be reported at its own line. js-yaml has no AST; its `listener`
 * hook reports every node opening and closing, and a mapping's children arrive as key, value, key, ...
 */
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { RuleFileError } from './rule-file-error';

/** CORE keeps dates and binary out, so values stay plain strings, numbers and booleans. */
const RULE_FILE_SCHEMA = CORE_SCHEMA;

interface OpenNode {
  line: number;
  children: Array<{ line: number; value: unknown }>;
}

interface ContainerLines {
  line: number;
  /** Key name (mappings) or index (sequences) to the line where that entry starts. */
  entries: Map<string | number, number>;
}

export class SourceLines {
  constructor(private readonly containers: WeakMap<object, ContainerLines>) {}

  /** 1-based line where a mapping or sequence starts. */
  lineOf(container: object): number | undefined {
    return this.containers.get(container)?.line;
  }

  /** 1-based line of a mapping key or sequence item. */
  entryLine(container: object, key: string | number): number | undefined {
    return this.containers.get(container)?.entries.get(key);
  }
}

export interface ParsedYaml {
  value: unknown;
  lines: SourceLines;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const containers = new WeakMap<object, ContainerLines>();
  const open: OpenNode[] = [];
  try {
    const value = load(text, {
      filename: file,
      schema: RULE_FILE_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          open.push({ line: state.line + 1, children: [] });
          return;
        }
        const node = open.pop();
        if (!node) return;
        const result: unknown = state.result;
        // An alias yields the anchored object again; its first appearance is the one worth pointing at.
        if (typeof result === 'object' && result !== null && !containers.has(result)) {
          containers.set(result, { line: node.line, entries: entryLines(result, node.children) });
        }
        open.at(-1)?.children.push({ line: node.line, value: result });
      },
    });
    return { value, lines: new SourceLines(containers) };
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = Number.isInteger(error.mark?.line) ? error.mark.line + 1 : 1;
      throw new RuleFileError(file, line, `YAML syntax error: ${error.reason}`, { cause: error });
    }
    throw error;
  }
}

function entryLines(container: object, children: OpenNode['children']): Map<string | number, number> {
  const entries = new Map<string | number, number>();
  if (Array.isArray(container)) {
    children.forEach((child, index) => entries.set(index, child.line));
    return entries;
  }
  // A flow entry without a value (`{ a }`) breaks the key/value alternation; key lines are then unknown
  // and errors fall back to the mapping's own line.
  if (children.length % 2 !== 0) return entries;
  for (let i = 0; i < children.length; i += 2) {
    const key = children[i];
    if (key && (typeof key.value === 'string' || typeof key.value === 'number')) {
      entries.set(String(key.value), key.line);
    }
  }
  return entries;
}
