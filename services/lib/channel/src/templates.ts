/**
 * Message templates per event type × channel × locale, loaded from YAML or JSON files (never from
 * code), in the interpolation language only. Files: `<dir>/<channel>.yaml` for one channel and
 * `<dir>/all.yaml` for every channel, each shaped `{ <EVENT_TYPE | default>: { <locale>: { title,
 * body, html? } } }`.
 *
 * Lookup for (type, channel, locale chain fr-CA → fr → en): the channel's template for the type,
 * then the shared one for the type, then the channel's default, then the shared default — each
 * trying every locale of the chain before moving on, so a specific English text beats a generic
 * French one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, basename } from 'node:path';
import yaml from 'js-yaml';
import { localeChain } from './locale';

export interface MessageTemplate {
  title: string;
  body: string;
  /** HTML body (email); values are HTML-escaped when it is filled. */
  html?: string;
}

type ByLocale = Map<string, MessageTemplate>;
type ByType = Map<string, ByLocale>;

export const SHARED = 'all';
export const DEFAULT_TYPE = 'default';
const FIELDS = new Set(['title', 'body', 'html']);
const MAX_TEMPLATE_LENGTH = 20_000;

export class TemplateError extends Error {}

export class TemplateBook {
  private constructor(private readonly files: Map<string, ByType>) {}

  static fromDirectory(dir: string): TemplateBook {
    if (!existsSync(dir)) throw new TemplateError(`templates directory ${dir} does not exist`);
    const files = new Map<string, ByType>();
    for (const name of readdirSync(dir).sort()) {
      const ext = extname(name);
      if (!['.yaml', '.yml', '.json'].includes(ext)) continue;
      const source = join(dir, name);
      const text = readFileSync(source, 'utf8');
      const parsed: unknown = ext === '.json' ? JSON.parse(text) : yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: source });
      files.set(basename(name, ext), parseFile(parsed, source));
    }
    return new TemplateBook(files);
  }

  static fromObject(files: Record<string, unknown>): TemplateBook {
    return new TemplateBook(new Map(Object.entries(files).map(([name, content]) => [name, parseFile(content, name)])));
  }

  /** The template to use, or undefined when neither the channel nor the shared file has a default. */
  find(type: string, channel: string, locale: string | null | undefined): { template: MessageTemplate; locale: string } | undefined {
    const chain = localeChain(locale);
    const order: Array<[string, string]> = [[channel, type], [SHARED, type], [channel, DEFAULT_TYPE], [SHARED, DEFAULT_TYPE]];
    for (const [file, key] of order) {
      const byLocale = this.files.get(file)?.get(key);
      for (const loc of chain) {
        const template = byLocale?.get(loc);
        if (template) return { template, locale: loc };
      }
    }
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseFile(content: unknown, source: string): ByType {
  if (!isPlainObject(content)) throw new TemplateError(`${source}: expected a mapping of event types`);
  const byType: ByType = new Map();
  for (const [type, locales] of Object.entries(content)) {
    if (!isPlainObject(locales)) throw new TemplateError(`${source}: ${type} must map locales to templates`);
    const byLocale: ByLocale = new Map();
    for (const [locale, template] of Object.entries(locales)) byLocale.set(locale, parseTemplate(template, `${source}: ${type}.${locale}`));
    byType.set(type, byLocale);
  }
  return byType;
}

function parseTemplate(value: unknown, where: string): MessageTemplate {
  if (!isPlainObject(value)) throw new TemplateError(`${where} must be a mapping with title and body`);
  for (const [key, field] of Object.entries(value)) {
    if (!FIELDS.has(key)) throw new TemplateError(`${where}: unknown field ${key}`);
    if (typeof field !== 'string' || field.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(`${where}.${key} must be a string of at most ${MAX_TEMPLATE_LENGTH} characters`);
  }
  if (typeof value.title !== 'string' || typeof value.body !== 'string') throw new TemplateError(`${where} needs both title and body`);
  return { title: value.title, body: value.body, ...(typeof value.html === 'string' ? { html: value.html } : {}) };
}

/** The templates shipped with the platform (services/lib/channel/templates). */
export const BUNDLED_TEMPLATES_DIR = join(__dirname, '..', 'templates');
