/**
 * The per-file memory behind hot reload: each file's last content hash, its last good rule set and
 * its current error. A broken file keeps serving the rule set it last compiled to, so a bad edit
 * never takes a tenant's rules away.
 */
import { compileRuleSet } from './compile-rule-set';
import { RuleFileError } from './rule-file-error';
import type { RuleSource } from './rule-sources';
import type { RuleSet } from './rule-types';

export interface LoadedRuleFile {
  readonly hash: string;
  /** The last version that compiled; null if none ever did. */
  readonly ruleSet: RuleSet | null;
  readonly error: RuleFileError | null;
}

export interface RuleFilesUpdate {
  readonly files: ReadonlyMap<string, LoadedRuleFile>;
  /** Errors from files compiled in this update (unchanged broken files are not repeated). */
  readonly rejected: readonly RuleFileError[];
  /** Whether any file's rules in force changed, appeared or went away. */
  readonly rulesChanged: boolean;
}

export function updateRuleFiles(previous: ReadonlyMap<string, LoadedRuleFile>, sources: readonly RuleSource[]): RuleFilesUpdate {
  const files = new Map<string, LoadedRuleFile>();
  const rejected: RuleFileError[] = [];
  let rulesChanged = sources.length !== previous.size;
  for (const source of sources) {
    const before = previous.get(source.file);
    if (before && before.hash === source.hash) {
      files.set(source.file, before);
      continue;
    }
    const loaded = compileSource(source, before?.ruleSet ?? null);
    if (loaded.error) rejected.push(loaded.error);
    if (loaded.ruleSet !== (before?.ruleSet ?? null) || !before) rulesChanged = true;
    files.set(source.file, loaded);
  }
  return { files, rejected, rulesChanged };
}

function compileSource(source: RuleSource, lastGood: RuleSet | null): LoadedRuleFile {
  try {
    return { hash: source.hash, ruleSet: compileRuleSet(source.text, source.file), error: null };
  } catch (error) {
    const reported =
      error instanceof RuleFileError
        ? error
        : new RuleFileError(source.file, 1, `could not load rules: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
    return { hash: source.hash, ruleSet: lastGood, error: reported };
  }
}
