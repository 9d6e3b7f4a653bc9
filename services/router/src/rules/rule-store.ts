/**
 * Keeps the current RuleBook for a rules directory (or one file) and reloads it without a restart.
 * Two triggers, because neither is enough alone: fs.watch reacts within milliseconds but misses
 * events on some filesystems and across Kubernetes' `..data` symlink swap; a poll (content hashes,
 * every 2 s by default) catches whatever the watcher missed. Reads are synchronous and small, so a
 * reload can never interleave with another one.
 */
import { watch, type FSWatcher, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RuleBook } from './rule-book';
import { updateRuleFiles, type LoadedRuleFile } from './rule-file-cache';
import type { RuleFileError } from './rule-file-error';
import { readRuleSources, type RuleSource } from './rule-sources';
import type { RouteDecision } from './rule-types';
import type { AcceptedEvent } from '@notify/schemas';

/** pino-compatible. */
export interface RuleStoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RuleStoreOptions {
  /** A directory of `*.yaml` / `*.yml` rule files, or a single rule file. */
  path: string;
  log: RuleStoreLogger;
  /** Called after a reload changed the rules in force (not for the initial load done by start()). */
  onReload?: (book: RuleBook) => void;
  pollIntervalMs?: number;
  /** Editors and ConfigMap updates fire bursts of events; one reload after the burst is enough. */
  watchDebounceMs?: number;
}

export class RuleStore {
  private files: ReadonlyMap<string, LoadedRuleFile> = new Map();
  private book = new RuleBook();
  private fingerprint: string | null = null;
  private errorsInForce: readonly RuleFileError[] = [];
  private latestError: RuleFileError | null = null;
  private watcher: FSWatcher | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private state: 'new' | 'running' | 'closed' = 'new';

  constructor(private readonly options: RuleStoreOptions) {}

  /** Loads the rules now and starts watching. Throws only when the path itself cannot be read. */
  start(): RuleBook {
    if (this.state !== 'new') throw new Error(`RuleStore for ${this.options.path} was already started`);
    this.state = 'running';
    try {
      this.apply(readRuleSources(this.options.path), false);
    } catch (error) {
      this.state = 'closed';
      throw error;
    }
    this.ensureWatching();
    this.pollTimer = setInterval(() => this.refresh(), this.options.pollIntervalMs ?? 2000);
    this.pollTimer.unref();
    return this.book;
  }

  current(): RuleBook {
    return this.book;
  }

  route(event: AcceptedEvent): RouteDecision | null {
    return this.book.route(event);
  }

  /** The most recent rule file error still unresolved; null once every file loads. */
  lastError(): RuleFileError | null {
    return this.latestError;
  }

  /** Every rule file error currently unresolved (broken files and tenant conflicts). */
  errors(): readonly RuleFileError[] {
    return this.errorsInForce;
  }

  /** Re-reads the files now; true when the rules in force changed. Never throws. */
  refresh(): boolean {
    if (this.state !== 'running') return false;
    try {
      const changed = this.apply(readRuleSources(this.options.path), true);
      this.ensureWatching();
      return changed;
    } catch (error) {
      // A mount being swapped can be briefly unreadable; keep serving what we have and try again.
      this.options.log.warn({ path: this.options.path, err: error }, 'cannot read rule files; keeping current rules');
      return false;
    }
  }

  close(): void {
    this.state = 'closed';
    this.watcher?.close();
    this.watcher = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.pollTimer = null;
    this.debounceTimer = null;
  }

  private apply(sources: readonly RuleSource[], notify: boolean): boolean {
    const fingerprint = sources.map((source) => `${source.file}\u0000${source.hash}`).join('\u0001');
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;

    const update = updateRuleFiles(this.files, sources);
    this.files = update.files;
    for (const error of update.rejected) this.logRejected(error);

    const book = update.rulesChanged ? this.buildBook() : this.book;
    const fileErrors = [...this.files.values()].flatMap((file) => (file.error ? [file.error] : []));
    const newConflicts = book.conflicts.filter((conflict) => !this.errorsInForce.some((known) => known.message === conflict.message));
    for (const conflict of newConflicts) this.options.log.error(errorFields(conflict), 'rule file conflicts with another');
    this.errorsInForce = [...fileErrors, ...book.conflicts];
    this.latestError =
      [...update.rejected, ...newConflicts].at(-1) ??
      (this.latestError && this.errorsInForce.includes(this.latestError) ? this.latestError : (this.errorsInForce.at(-1) ?? null));

    if (!update.rulesChanged) return false;
    this.book = book;
    this.options.log.info(
      {
        path: this.options.path,
        files: this.files.size,
        tenants: book.tenants(),
        rules: book.ruleCount(),
        errors: this.errorsInForce.length,
      },
      notify ? 'rules reloaded' : 'rules loaded',
    );
    if (notify) this.notifyReload(book);
    return true;
  }

  private buildBook(): RuleBook {
    const sets = [...this.files.values()].flatMap((file) => (file.ruleSet ? [file.ruleSet] : []));
    return new RuleBook(sets);
  }

  private logRejected(error: RuleFileError): void {
    const kept = this.files.get(error.file)?.ruleSet;
    this.options.log.error(
      errorFields(error),
      kept ? 'rule file rejected; its previous rules stay in force' : 'rule file rejected; its tenant uses the default rules',
    );
  }

  private notifyReload(book: RuleBook): void {
    try {
      this.options.onReload?.(book);
    } catch (error) {
      this.options.log.error({ err: error }, 'onReload callback failed');
    }
  }

  /** (Re)creates the watcher; after a watcher error the poll keeps working and retries this. */
  private ensureWatching(): void {
    if (this.watcher || this.state !== 'running') return;
    const target = isDirectory(this.options.path) ? this.options.path : dirname(this.options.path);
    try {
      const watcher = watch(target, { persistent: false }, () => this.scheduleRefresh());
      watcher.on('error', (error) => {
        this.options.log.warn({ path: target, err: error }, 'rule watcher failed; relying on polling');
        watcher.close();
        if (this.watcher === watcher) this.watcher = null;
      });
      this.watcher = watcher;
    } catch (error) {
      this.options.log.warn({ path: target, err: error }, 'cannot watch rule files; relying on polling');
    }
  }

  private scheduleRefresh(): void {
    if (this.state !== 'running') return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.refresh();
    }, this.options.watchDebounceMs ?? 100);
    this.debounceTimer.unref();
  }
}

function errorFields(error: RuleFileError): object {
  return { file: error.file, line: error.line, reason: error.reason };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
