/**
 * YAML parsing for the deployment tests (js-yaml 4: `loadAll` is safe by default and resolves the
 * `<<` merge keys docker-compose.yml relies on), plus small accessors that turn `unknown` documents
 * into typed values with a useful message when the shape is wrong.
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';

export function parseYamlDocuments(text: string): unknown[] {
  return loadAll(text).filter((d) => d !== null && d !== undefined);
}

export function readYamlDocuments(file: string): unknown[] {
  try {
    return parseYamlDocuments(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function readYaml(file: string): Obj {
  const docs = readYamlDocuments(file);
  if (docs.length !== 1) throw new Error(`${file}: expected one YAML document, found ${docs.length}`);
  return obj(docs[0], file);
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

export function optObj(value: unknown, what: string): Obj {
  return value === undefined || value === null ? {} : obj(value, what);
}

export function arr(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Scalars as the environment sees them: YAML numbers and booleans become their text. */
export function scalarText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what}: expected a scalar, got ${JSON.stringify(value)}`);
}
