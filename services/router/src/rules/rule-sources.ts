/**
 * Reads the rule files under a path: every `*.yaml` / `*.yml` in a directory, or the one file named.
 * Names starting with a dot are skipped: in a Kubernetes ConfigMap mount the real files sit in
 * timestamped `..2024_...` folders behind a `..data` symlink, and the visible names are symlinks
 * through it, so reading only the visible names sees each file once, at its current version.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface RuleSource {
  file: string;
  text: string;
  /** sha256 of the text: the change detector, since mtimes are unreliable behind swapped symlinks. */
  hash: string;
}

const RULE_FILE_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Throws when `path` itself cannot be read; files that vanish mid-scan are skipped. */
export function readRuleSources(path: string): RuleSource[] {
  if (!statSync(path).isDirectory()) return [readSource(path)];
  const sources: RuleSource[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.') || !RULE_FILE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
    const file = join(path, name);
    try {
      if (statSync(file).isFile()) sources.push(readSource(file));
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
  }
  return sources;
}

function readSource(file: string): RuleSource {
  const text = readFileSync(file, 'utf8');
  return { file, text, hash: createHash('sha256').update(text).digest('hex') };
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}
