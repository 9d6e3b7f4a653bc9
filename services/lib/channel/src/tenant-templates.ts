/**
 * The templates a channel worker renders with: a tenant's active versions (the `templates` table,
 * written through the API) over the shipped ones, name by name. For a message the names are tried
 * in order (the rule's template id, the event type, `default`); for each name the tenant's own text
 * wins when it has one for the channel or `all` in any locale of the chain (fr-CA → fr → en), and
 * only then the shipped text of that name. So a tenant that rewrites MARGIN_CALL changes it for its
 * own messages and nobody else's, and still gets the shipped `risk.margin_call` when a rule names it.
 *
 * Rows are read into memory so a lookup is synchronous; each version is compiled once, on first use.
 * Changes arrive within moments: the API sends `NOTIFY templates_changed, '<tenant>'` in the
 * transaction of the change and this re-reads that tenant's rows; a full re-read every
 * `refreshMs` (and after every reconnect of the listener) covers a notification that was missed.
 *
 * A dispatch may pin a version (a test send of a version not yet active). A pinned version this
 * worker has not read yet is retried after the next re-read; one still missing after a re-read that
 * started later (deleted since) fails the message for good.
 */
import { listenForChanges, type ChangeListener, type Db } from '@notify/db';
import { errorMessage, PermanentError, RetryableError } from '@notify/errors';
import type { Logger } from '@notify/runner';
import { localeChain } from './locale';
import { createTemplateEngine, type TemplateEngine } from './template-engine';
import { readTemplateFiles, type TemplateFields, type TemplateFiles } from './template-files';
import {
  compileMessageTemplate,
  DEFAULT_TYPE,
  SHARED,
  TemplateBook,
  type FoundTemplate,
  type MessageTemplate,
  type TemplateField,
  type TemplateKey,
  type TemplateSource,
} from './templates';

/** The Postgres NOTIFY channel a template change is announced on; its payload is the tenant. */
export const TEMPLATES_CHANGED = 'templates_changed';

/** A template standing in for the tenant's active version of one slot (a preview of unsaved or inactive text). */
export interface TemplateOverride {
  tenant: string;
  templateId: string;
  /** A channel name or `all`. */
  channel: string;
  locale: string;
  template: MessageTemplate;
}

export interface TenantTemplatesOptions {
  db: Db;
  /** Connection string for the dedicated LISTEN connection; without one only the periodic re-read applies. */
  listenUrl?: string;
  /** The shipped templates (TEMPLATES_DIR or the bundled directory). */
  dir: string;
  /** Where re-read failures and stored templates that do not compile are reported. */
  log: Pick<Logger, 'warn' | 'error'>;
  refreshMs?: number;
  now?: () => number;
  /** The engine templates are compiled with (one per worker); one is made when not given. */
  engine?: TemplateEngine;
}

interface StoredVersion {
  version: number;
  active: boolean;
  fields: TemplateFields;
  /** Part of the cache key: a template deleted and written again starts over at version 1. */
  createdAt: number;
}

/** One tenant's rows: `<template id>\0<channel>\0<locale>` → its versions. */
type TenantRows = Map<string, StoredVersion[]>;

const slot = (name: string, channel: string, locale: string) => `${name}\0${channel}\0${locale}`;

/** The shipped files regrouped by name: a book per name, so one name's lookup never falls to `default`. */
function shippedByName(files: TemplateFiles, engine: TemplateEngine): Map<string, TemplateBook> {
  const grouped = new Map<string, TemplateFiles>();
  for (const [file, names] of Object.entries(files)) {
    for (const [name, locales] of Object.entries(names)) {
      const entry = grouped.get(name) ?? {};
      entry[file] = { [name]: locales };
      grouped.set(name, entry);
    }
  }
  return new Map([...grouped].map(([name, byFile]) => [name, TemplateBook.fromObject(byFile, engine)]));
}

export class TenantTemplates implements TemplateSource {
  private readonly shipped: Map<string, TemplateBook>;
  private tenants = new Map<string, TenantRows>();
  private readonly compiled = new Map<string, MessageTemplate | null>();
  private readonly missedPins = new Map<string, number>();
  private lastFullReadStartedAt = 0;
  private reads: Promise<void> = Promise.resolve();
  private listener: ChangeListener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly engine: TemplateEngine;

  constructor(private readonly options: TenantTemplatesOptions) {
    this.engine = options.engine ?? createTemplateEngine();
    this.shipped = shippedByName(readTemplateFiles(options.dir), this.engine);
    this.now = options.now ?? Date.now;
  }

  /** Reads every tenant's rows, then follows changes until close(). */
  async start(): Promise<void> {
    await this.refresh();
    const { listenUrl, log } = this.options;
    if (listenUrl) {
      this.listener = listenForChanges({
        url: listenUrl,
        channel: TEMPLATES_CHANGED,
        onNotify: (tenant) =>
          void this.refresh(tenant || undefined).catch((error) =>
            log.warn({ err: errorMessage(error), tenant }, 'template re-read failed'),
          ),
        // Changes made while the listener was down were never announced to it.
        onConnect: () => void this.refresh().catch((error) => log.warn({ err: errorMessage(error) }, 'template re-read failed')),
        onError: (error) => log.warn({ err: errorMessage(error) }, 'template change listener lost its connection; reconnecting'),
      });
    }
    this.timer = setInterval(
      () => void this.refresh().catch((error) => log.warn({ err: errorMessage(error) }, 'periodic template re-read failed')),
      this.options.refreshMs ?? 30_000,
    );
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.listener?.close();
    await this.reads.catch(() => undefined);
  }

  /** Re-reads one tenant's rows, or every tenant's; reads run one after another. */
  refresh(tenant?: string): Promise<void> {
    const read = this.reads.catch(() => undefined).then(() => this.read(tenant));
    this.reads = read;
    return read;
  }

  private async read(tenant?: string): Promise<void> {
    const startedAt = this.now();
    let query = this.options.db
      .selectFrom('templates')
      .select(['tenant', 'template_id', 'channel', 'locale', 'version', 'active', 'fields', 'created_at']);
    if (tenant !== undefined) query = query.where('tenant', '=', tenant);
    const rows = await query.orderBy('version', 'desc').execute();
    const read = new Map<string, TenantRows>();
    for (const row of rows) {
      const byTenant = read.get(row.tenant) ?? new Map<string, StoredVersion[]>();
      read.set(row.tenant, byTenant);
      const key = slot(row.template_id, row.channel, row.locale);
      const versions = byTenant.get(key) ?? [];
      versions.push({ version: row.version, active: row.active, fields: row.fields, createdAt: new Date(row.created_at).getTime() });
      byTenant.set(key, versions);
    }
    if (tenant === undefined) {
      this.tenants = read;
      this.lastFullReadStartedAt = startedAt;
    } else {
      const next = new Map(this.tenants);
      const rowsOfTenant = read.get(tenant);
      if (rowsOfTenant) next.set(tenant, rowsOfTenant);
      else next.delete(tenant);
      this.tenants = next;
    }
  }

  /**
   * The template for a message, or undefined when not even a `default` exists. With `field`, only
   * templates that have it count (a digest's `item` line for one type).
   */
  find(key: TemplateKey, channel: string, locale: string | null | undefined, field: TemplateField = 'body'): FoundTemplate | undefined {
    return this.lookup(key, channel, locale, field);
  }

  /**
   * This source with one template in place of the tenant's active version of its slot: what a
   * preview renders with, so it finds templates exactly as the worker will once that version is active.
   */
  overriding(override: TemplateOverride): TemplateSource {
    return { find: (key, channel, locale, field = 'body') => this.lookup(key, channel, locale, field, override) };
  }

  private lookup(
    key: TemplateKey,
    channel: string,
    locale: string | null | undefined,
    field: TemplateField,
    override?: TemplateOverride,
  ): FoundTemplate | undefined {
    const chain = localeChain(locale);
    if (key.tenant && key.version != null && key.template && !override) {
      const pinned = this.pinned(key.tenant, key.template, key.version, channel, chain, field);
      if (pinned) return pinned;
    }
    const chosen = key.template && key.template !== DEFAULT_TYPE ? [key.template] : [];
    // As the shipped book does: the type as written, then in capitals (seed 004's stop_loss_triggered).
    const types = key.type === key.type.toUpperCase() ? [key.type] : [key.type, key.type.toUpperCase()];
    for (const name of [...chosen, ...types, DEFAULT_TYPE]) {
      const own = key.tenant ? this.tenantTemplate(key.tenant, name, channel, chain, field, override) : undefined;
      if (own) return own;
      const shipped = this.shipped.get(name)?.find({ type: name }, channel, locale, field);
      if (shipped) return shipped;
    }
    return undefined;
  }

  private tenantTemplate(
    tenant: string,
    name: string,
    channel: string,
    chain: string[],
    field: TemplateField,
    override?: TemplateOverride,
  ): FoundTemplate | undefined {
    const rows = this.tenants.get(tenant);
    for (const file of [channel, SHARED]) {
      for (const locale of chain) {
        if (
          override &&
          override.tenant === tenant &&
          override.templateId === name &&
          override.channel === file &&
          override.locale === locale
        ) {
          if (override.template[field] !== undefined) return { template: override.template, locale };
          continue;
        }
        const active = rows?.get(slot(name, file, locale))?.find((v) => v.active);
        const template = active && this.compiledVersion(tenant, name, file, locale, active);
        if (template && template[field] !== undefined) return { template, locale };
      }
    }
    return undefined;
  }

  private pinned(
    tenant: string,
    name: string,
    version: number,
    channel: string,
    chain: string[],
    field: TemplateField,
  ): FoundTemplate | undefined {
    const rows = this.tenants.get(tenant);
    for (const file of [channel, SHARED]) {
      for (const locale of chain) {
        const stored = rows?.get(slot(name, file, locale))?.find((v) => v.version === version);
        if (!stored) continue;
        const template = this.compiledVersion(tenant, name, file, locale, stored);
        if (!template)
          throw new PermanentError('template_invalid', `version ${version} of template ${name} (${file}, ${locale}) does not compile`);
        // A field the pinned version leaves out (a digest's item line) comes from the usual lookup.
        return template[field] !== undefined ? { template, locale } : undefined;
      }
    }
    const missKey = `${tenant}\0${name}\0${version}`;
    const firstMiss = this.missedPins.get(missKey);
    if (firstMiss !== undefined && this.lastFullReadStartedAt > firstMiss) {
      this.missedPins.delete(missKey);
      throw new PermanentError(
        'template_version_not_found',
        `tenant ${tenant} has no version ${version} of template ${name} for ${channel}`,
      );
    }
    if (firstMiss === undefined) this.missedPins.set(missKey, this.now());
    void this.refresh().catch(() => undefined);
    throw new RetryableError('template_version_not_read', `version ${version} of template ${name} is not read yet`, { retryAfterMs: 500 });
  }

  /** A stored version compiled, once; null when it does not compile (logged once, and the shipped text applies). */
  private compiledVersion(tenant: string, name: string, channel: string, locale: string, stored: StoredVersion): MessageTemplate | null {
    const cacheKey = `${slot(tenant, name, channel)}\0${locale}\0${stored.version}\0${stored.createdAt}`;
    const cached = this.compiled.get(cacheKey);
    if (cached !== undefined) return cached;
    let template: MessageTemplate | null;
    try {
      template = compileMessageTemplate(stored.fields, channel, `tenant ${tenant}: ${channel}: ${name}.${locale}.`, this.engine);
    } catch (error) {
      this.options.log.error(
        { tenant, template_id: name, channel, locale, version: stored.version, err: errorMessage(error) },
        'stored template does not compile; the shipped text applies',
      );
      template = null;
    }
    this.compiled.set(cacheKey, template);
    return template;
  }
}
