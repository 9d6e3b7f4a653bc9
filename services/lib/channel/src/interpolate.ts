/**
 * The template language: `{{ path.to.value }}` lookups into a plain data object, optionally piped
 * through named filters with path or literal arguments (`{{ payload.shortfall | money:
 * payload.currency, "USD" }}`, see intl-filters.ts), and nothing else, so a template can never run
 * code, call functions or reach the process. Missing values render empty. A template is compiled
 * once, when the template files are loaded: an unknown filter or a malformed filter chain fails
 * there, never while a message is being sent. Anything else in braces is left as written.
 */
import { filterNamed, type Filter, type FormatContext } from './intl-filters';
import { DEFAULT_LOCALE } from './locale';
import { TemplateError } from './template-error';

const PATH = '[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*';
const PLACEHOLDER = new RegExp(`\\{\\{\\s*(${PATH})\\s*(?:\\|([^{}]*?))?\\}\\}`, 'g');
const TOKEN = `\\s*(?:(${PATH})|"([^"]*)"|'([^']*)'|(-?\\d+(?:\\.\\d+)?)|([|:,]))`;

type Argument = { path: string } | { literal: string | number };

interface FilterCall {
  name: string;
  filter: Filter;
  args: Argument[];
}

interface Placeholder {
  path: string;
  filters: FilterCall[];
}

export interface CompiledTemplate {
  readonly source: string;
  readonly parts: ReadonlyArray<string | Placeholder>;
}

export interface RenderOptions {
  /** Applied to each substituted value, never to the template's own text: escapeHtml for HTML parts. */
  encode?: (value: string) => string;
  /** Locale, time zone and render time for filters; English, UTC and now without one. */
  format?: FormatContext;
}

type Token = { kind: 'path' | 'string' | 'number' | '|' | ':' | ','; text: string };

function tokenize(text: string, where: string): Token[] {
  const tokens: Token[] = [];
  const token = new RegExp(TOKEN, 'y');
  while (token.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(token.lastIndex))) break;
    const start = token.lastIndex;
    const m = token.exec(text);
    if (!m) throw new TemplateError(`cannot read "${text.slice(start).trim()}" in ${where}`);
    const [, path, dq, sq, num, punct] = m;
    if (path !== undefined) tokens.push({ kind: 'path', text: path });
    else if (dq !== undefined || sq !== undefined) tokens.push({ kind: 'string', text: dq ?? sq ?? '' });
    else if (num !== undefined) tokens.push({ kind: 'number', text: num });
    else tokens.push({ kind: punct as '|' | ':' | ',', text: punct as string });
  }
  return tokens;
}

function argument(token: Token | undefined, where: string): Argument {
  if (token?.kind === 'path') return { path: token.text };
  if (token?.kind === 'string') return { literal: token.text };
  if (token?.kind === 'number') return { literal: Number(token.text) };
  throw new TemplateError(`expected a filter argument in ${where}`);
}

/** `name: arg, arg | name ...`, the text after the first `|`. */
function parseFilters(text: string, where: string): FilterCall[] {
  const tokens = tokenize(text, where);
  const calls: FilterCall[] = [];
  let i = 0;
  for (;;) {
    const name = tokens[i++];
    if (name?.kind !== 'path' || name.text.includes('.')) throw new TemplateError(`expected a filter name in ${where}`);
    const filter = filterNamed(name.text);
    if (!filter) throw new TemplateError(`unknown filter "${name.text}" in ${where}`);
    const args: Argument[] = [];
    if (tokens[i]?.kind === ':') {
      i += 1;
      args.push(argument(tokens[i++], where));
      while (tokens[i]?.kind === ',') {
        i += 1;
        args.push(argument(tokens[i++], where));
      }
    }
    calls.push({ name: name.text, filter, args });
    if (i === tokens.length) return calls;
    if (tokens[i]?.kind !== '|') throw new TemplateError(`expected "|" or the end after filter ${name.text} in ${where}`);
    i += 1;
  }
}

export function compileTemplate(source: string): CompiledTemplate {
  const parts: Array<string | Placeholder> = [];
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    const index = m.index ?? 0;
    if (index > last) parts.push(source.slice(last, index));
    const filters = m[2] === undefined ? [] : parseFilters(m[2], m[0]);
    parts.push({ path: m[1] as string, filters });
    last = index + m[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  return { source, parts };
}

export function lookup(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function renderTemplate(template: CompiledTemplate, data: unknown, options: RenderOptions = {}): string {
  const encode = options.encode ?? ((v: string) => v);
  let format = options.format;
  return template.parts.map((part) => {
    if (typeof part === 'string') return part;
    let value = lookup(data, part.path);
    for (const call of part.filters) {
      format ??= { locale: DEFAULT_LOCALE, timeZone: 'UTC', now: Date.now() };
      const args = call.args.map((a) => ('path' in a ? lookup(data, a.path) : a.literal));
      value = call.filter(value, args, format);
    }
    return encode(display(value));
  }).join('');
}

/** Compiles and fills in one step (texts built in code); throws TemplateError for an unknown filter. */
export function interpolate(template: string, data: unknown, encode: (value: string) => string = (v) => v, format?: FormatContext): string {
  return renderTemplate(compileTemplate(template), data, { encode, ...(format ? { format } : {}) });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The paths a template reads. */
export function placeholders(template: string): string[] {
  return compileTemplate(template).parts.flatMap((p) => (typeof p === 'string' ? [] : [p.path]));
}
