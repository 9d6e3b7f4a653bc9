/**
 * Message templates per template id or event type × channel × locale, loaded from YAML or JSON files
 * (never from code), in the interpolation language only. Files: `<dir>/<channel>.yaml` for one
 * channel and `<dir>/all.yaml` for every channel, each shaped `{ <template id | EVENT_TYPE | default>:
 * { <locale>: { title, body, html?, item?, group?, more? } } }`. A template id is what a rule names
 * (`template: "risk.margin_call"`); event types key the texts used when no rule names one.
 *
 * Lookup for (template id, type, channel, locale chain fr-CA → fr → en): the channel's template for
 * the id, then the shared one; the channel's for the type, then the shared one; the channel's
 * default, then the shared default — each trying every locale of the chain before moving on, so a
 * specific English text beats a generic French one. Every template is compiled as it is loaded, so
 * an unknown filter fails the load, not a send.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, basename } from 'node:path';
import yaml from 'js-yaml';
import { compileTemplate, type CompiledTemplate } from './interpolate';
import { localeChain } from './locale';
import { TemplateError } from './template-error';

export { TemplateError };

export interface MessageTemplate {
  title: CompiledTemplate;
  body: CompiledTemplate;
  /** HTML body (email); values are HTML-escaped when it is filled. */
  html?: CompiledTemplate;
  /** One line for a notification of this type inside a digest. */
  item?: CompiledTemplate;
  /** A digest's heading for each type it holds (`{{type_title}}`, `{{count}}`). */
  group?: CompiledTemplate;
  /** A digest's last line when it lists fewer members than it holds (`{{count}}` not listed). */
  more?: CompiledTemplate;
}

export type TemplateField = keyof MessageTemplate;

/** What a message is: the template id chosen for it (empty for none) and its event type. */
export interface TemplateKey {
  template?: string;
  type: string;
}

type ByLocale = Map<string, MessageTemplate>;
type ByKey = Map<string, ByLocale>;

export const SHARED = 'all';
export const DEFAULT_TYPE = 'default';
const FIELDS: ReadonlySet<string> = new Set<TemplateField>(['title', 'body', 'html', 'item', 'group', 'more']);
const MAX_TEMPLATE_LENGTH = 20_000;

export class TemplateBook {
  private constructor(private readonly files: Map<string, ByKey>) {}

  static fromDirectory(dir: string): TemplateBook {
    if (!existsSync(dir)) throw new TemplateError(`templates directory ${dir} does not exist`);
    const files = new Map<string, ByKey>();
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

  /**
   * The template to use, or undefined when neither the channel nor the shared file has a default.
   * With `field`, only templates that have it count (a type's digest `item` line).
   */
  find(key: TemplateKey, channel: string, locale: string | null | undefined, field: TemplateField = 'title'): { template: MessageTemplate; locale: string } | undefined {
    const chain = localeChain(locale);
    // `default` names the last resort, never a template chosen ahead of the event type's.
    const chosen = key.template && key.template !== DEFAULT_TYPE ? [key.template] : [];
    const names = [...chosen, key.type, DEFAULT_TYPE];
    for (const name of names) {
      for (const file of [channel, SHARED]) {
        const byLocale = this.files.get(file)?.get(name);
        for (const loc of chain) {
          const template = byLocale?.get(loc);
          if (template?.[field] !== undefined) return { template, locale: loc };
        }
      }
    }
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseFile(content: unknown, source: string): ByKey {
  if (!isPlainObject(content)) throw new TemplateError(`${source}: expected a mapping of template ids and event types`);
  const byKey: ByKey = new Map();
  for (const [key, locales] of Object.entries(content)) {
    if (!isPlainObject(locales)) throw new TemplateError(`${source}: ${key} must map locales to templates`);
    const byLocale: ByLocale = new Map();
    for (const [locale, template] of Object.entries(locales)) byLocale.set(locale, parseTemplate(template, `${source}: ${key}.${locale}`));
    byKey.set(key, byLocale);
  }
  return byKey;
}

function parseTemplate(value: unknown, where: string): MessageTemplate {
  if (!isPlainObject(value)) throw new TemplateError(`${where} must be a mapping with title and body`);
  const compiled: Partial<Record<TemplateField, CompiledTemplate>> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!FIELDS.has(key)) throw new TemplateError(`${where}: unknown field ${key}`);
    if (typeof field !== 'string' || field.length > MAX_TEMPLATE_LENGTH) throw new TemplateError(`${where}.${key} must be a string of at most ${MAX_TEMPLATE_LENGTH} characters`);
    try {
      compiled[key as TemplateField] = compileTemplate(field);
    } catch (error) {
      throw new TemplateError(`${where}.${key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const { title, body } = compiled;
  if (!title || !body) throw new TemplateError(`${where} needs both title and body`);
  return { ...compiled, title, body };
}

/** The templates shipped with the platform (services/lib/channel/templates). */
export const BUNDLED_TEMPLATES_DIR = join(__dirname, '..', 'templates');
