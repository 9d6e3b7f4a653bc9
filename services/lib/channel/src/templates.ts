/**
 * Message templates per template id or event type × channel × locale, loaded from YAML or JSON files
 * (never from code), in Liquid (see interpolate.ts). Files: `<dir>/<channel>.yaml` for one channel
 * and `<dir>/all.yaml` for every channel, each shaped `{ <template id | EVENT_TYPE | default>:
 * { <locale>: { <field>: text } } }`. A template id is what a rule names (`template:
 * "risk.margin_call"`); event types key the texts used when no rule names one.
 *
 * Fields each channel uses (the channel's own names are accepted as aliases, in files and the API):
 *   email   subject (= title), text (= body, the text part), html (the HTML part, values escaped)
 *   sms     text (= body); the SMS worker counts and caps its segments
 *   voice   speech (= body), read aloud
 *   push    title and body
 *   slack   title and body, and optionally blocks (= layout, a JSON array of Block Kit blocks)
 *   discord title and body, and optionally embed (= layout, a JSON embed object)
 *   teams   title and body, and optionally card (= layout, a JSON Adaptive Card)
 *   inapp, webhook, pagerduty: title and body
 * Without a layout a chat channel builds its blocks, embed or card from title and body; with one,
 * title and body remain the notification's text (Slack's fallback text, the card's summary).
 * and for digests: `item` (this type's line inside a digest), `group` (a digest's heading per type)
 * and `more` (a digest's line for members it does not list). `body` is always required; `title`
 * only where the channel shows one (sms and voice templates may leave it out).
 *
 * Lookup for (template id, type, channel, locale chain fr-CA → fr → en): the channel's template for
 * the id, then the shared one; the channel's for the type, then the shared one (the type as
 * written, then in capitals, so seed 004's `stop_loss_triggered` finds STOP_LOSS_TRIGGERED); the
 * channel's default, then the shared default — each trying every locale of the chain before moving
 * on, so a specific English text beats a generic French one. Every template is compiled as it is
 * loaded, so a syntax error or an unknown filter fails the load, not a send.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, basename } from 'node:path';
import yaml from 'js-yaml';
import { compileTemplate, type CompiledTemplate } from './interpolate';
import { localeChain } from './locale';
import { createTemplateEngine, type TemplateEngine } from './template-engine';
import { TemplateError } from './template-error';

export { TemplateError };

export interface MessageTemplate {
  title: CompiledTemplate;
  body: CompiledTemplate;
  /** HTML body (email); output is HTML-escaped unless marked `| raw`. */
  html?: CompiledTemplate;
  /** One line for a notification of this type inside a digest. */
  item?: CompiledTemplate;
  /** A digest's heading for each type it holds (`{{type_title}}`, `{{count}}`). */
  group?: CompiledTemplate;
  /** A digest's last line when it lists fewer members than it holds (`{{count}}` not listed). */
  more?: CompiledTemplate;
  /**
   * The chat channel's own layout as JSON, outputs escaped for JSON strings: Slack Block Kit blocks
   * (an array), a Discord embed (an object), a Teams Adaptive Card (an object). Without one the
   * channel lays out title and body itself.
   */
  layout?: CompiledTemplate;
}

export type TemplateField = keyof MessageTemplate;

/** What a message is: its tenant, the template id chosen for it (empty for none) and its event type. */
export interface TemplateKey {
  /** Whose templates come first; a source without per-tenant templates ignores it. */
  tenant?: string;
  template?: string;
  type: string;
  /** A pinned version of the tenant's template (a test send); null or absent for the active one. */
  version?: number | null;
}

export interface FoundTemplate {
  template: MessageTemplate;
  /** The locale of the text found (one of the chain). */
  locale: string;
}

/**
 * Where renderers get templates: the shipped TemplateBook, or a tenant's own templates over it.
 * With `field`, only templates that have it count (a type's digest `item` line).
 */
export interface TemplateSource {
  find(key: TemplateKey, channel: string, locale: string | null | undefined, field?: TemplateField): FoundTemplate | undefined;
}

type ByLocale = Map<string, MessageTemplate>;
type ByKey = Map<string, ByLocale>;

export const SHARED = 'all';
export const DEFAULT_TYPE = 'default';
const FIELDS: ReadonlySet<string> = new Set<TemplateField>(['title', 'body', 'html', 'item', 'group', 'more', 'layout']);
/** The channel's own names for fields. */
const ALIASES: Readonly<Record<string, Readonly<Record<string, TemplateField>>>> = {
  email: { subject: 'title', text: 'body' },
  sms: { text: 'body' },
  voice: { speech: 'body' },
  slack: { blocks: 'layout' },
  discord: { embed: 'layout' },
  teams: { card: 'layout' },
};
/** Channels that show no title: their templates may leave it out. */
const UNTITLED: ReadonlySet<string> = new Set(['sms', 'voice']);
const NO_TITLE = '{{ type_title }}';

export class TemplateBook implements TemplateSource {
  private constructor(private readonly files: Map<string, ByKey>) {}

  static fromDirectory(dir: string, engine: TemplateEngine = createTemplateEngine()): TemplateBook {
    if (!existsSync(dir)) throw new TemplateError(`templates directory ${dir} does not exist`);
    const files = new Map<string, ByKey>();
    for (const name of readdirSync(dir).sort()) {
      const ext = extname(name);
      if (!['.yaml', '.yml', '.json'].includes(ext)) continue;
      const source = join(dir, name);
      const text = readFileSync(source, 'utf8');
      const parsed: unknown = ext === '.json' ? JSON.parse(text) : yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: source });
      const channel = basename(name, ext);
      files.set(channel, parseFile(parsed, channel, name, engine));
    }
    return new TemplateBook(files);
  }

  static fromObject(files: Record<string, unknown>, engine: TemplateEngine = createTemplateEngine()): TemplateBook {
    return new TemplateBook(new Map(Object.entries(files).map(([name, content]) => [name, parseFile(content, name, name, engine)])));
  }

  /** The template to use, or undefined when neither the channel nor the shared file has a default. */
  find(key: TemplateKey, channel: string, locale: string | null | undefined, field: TemplateField = 'body'): FoundTemplate | undefined {
    const chain = localeChain(locale);
    // `default` names the last resort, never a template chosen ahead of the event type's.
    const chosen = key.template && key.template !== DEFAULT_TYPE ? [key.template] : [];
    const types = key.type === key.type.toUpperCase() ? [key.type] : [key.type, key.type.toUpperCase()];
    for (const name of [...chosen, ...types, DEFAULT_TYPE]) {
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

function parseFile(content: unknown, channel: string, source: string, engine: TemplateEngine): ByKey {
  if (!isPlainObject(content)) throw new TemplateError(`${source}: expected a mapping of template ids and event types`);
  const byKey: ByKey = new Map();
  for (const [key, locales] of Object.entries(content)) {
    if (!isPlainObject(locales)) throw new TemplateError(`${source}: ${key} must map locales to templates`);
    const byLocale: ByLocale = new Map();
    for (const [locale, template] of Object.entries(locales)) {
      if (!isPlainObject(template)) throw new TemplateError(`${source}: ${key}.${locale} must be a mapping of fields to texts`);
      byLocale.set(locale, compileMessageTemplate(template, channel, `${source}: ${key}.${locale}.`, engine));
    }
    byKey.set(key, byLocale);
  }
  return byKey;
}

/** A field name as written (a channel alias or our own) as the field it fills. */
export function templateField(name: string, channel: string): TemplateField | undefined {
  const alias = ALIASES[channel];
  if (alias && Object.hasOwn(alias, name)) return alias[name];
  return FIELDS.has(name) ? (name as TemplateField) : undefined;
}

/**
 * Compiles every field of one message template for a channel (`all` for the shared texts), or
 * throws a TemplateError for the first field that fails, with its line and column. `where`
 * prefixes the messages ("email: MARGIN_CALL.fr."). The API validates with this before a template
 * is saved or activated, so an invalid one never reaches a worker.
 */
export function compileMessageTemplate(
  fields: Record<string, unknown>,
  channel: string,
  where: string,
  engine: TemplateEngine = createTemplateEngine(),
): MessageTemplate {
  const compiled: Partial<Record<TemplateField, CompiledTemplate>> = {};
  for (const [name, text] of Object.entries(fields)) {
    const field = templateField(name, channel);
    if (!field) throw new TemplateError(`${where}${name}: unknown field ${name}`, { field: name });
    if (compiled[field]) throw new TemplateError(`${where}${name}: ${field} is given twice`, { field: name });
    if (typeof text !== 'string') throw new TemplateError(`${where}${name} must be a string`, { field: name });
    compiled[field] = compileTemplate(engine, text, field, where);
  }
  const { body } = compiled;
  const title = compiled.title ?? (UNTITLED.has(channel) ? compileTemplate(engine, NO_TITLE, 'title', where) : undefined);
  if (!title || !body)
    throw new TemplateError(`${where.replace(/\.$/, '')} needs both title and body`, { field: title ? 'body' : 'title' });
  return { ...compiled, title, body };
}

/** The templates shipped with the platform (services/lib/channel/templates). */
export const BUNDLED_TEMPLATES_DIR = join(__dirname, '..', 'templates');
