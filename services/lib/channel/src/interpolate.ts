/**
 * The template language is Liquid (see template-engine.ts for the sandbox): `{{ payload.x }}`
 * outputs, `{% if %}`, `{% for m in digest.members %}`, Liquid's standard filters and the Intl
 * filters money, number, date, datetime and relative, formatted in the recipient's locale and time
 * zone. A template is compiled once, when it is loaded or saved: a syntax error or an unknown
 * filter fails there, with its line and column, never while a message is being sent.
 *
 * Differences from the `{{ path }}` language this replaces: an object or array prints as Liquid
 * prints it (an array's items run together, an object as "[object Object]"), not as JSON; an
 * index is written `list[0]` (`list.0` still reads an array's first item, `list.first` too); text
 * in `{{ }}` or `{% %}` that is not Liquid is a compile error, where it used to be left as written.
 * Unknown variables still render empty at send time; a preview renders with strict variables, so
 * a variable the sample lacks is reported.
 *
 * Every render has limits (TemplateLimits): time, loop iterations and output size, so a bad
 * template fails its notification with a TemplateLimitError naming the limit, and the worker goes on.
 */
import { LiquidError, toValueSync, type Emitter, type Template } from 'liquidjs';
import type { FormatContext } from './intl-filters';
import { DEFAULT_LOCALE } from './locale';
import type { TemplateEngine } from './template-engine';
import { TemplateError, TemplateLimitError } from './template-error';

export interface CompiledTemplate {
  readonly source: string;
  /** The message field it fills (title, body, html, ...): named in errors. */
  readonly field: string;
  /** Which template it is ("all.yaml: MARGIN_CALL.fr."), so a render failure says whose text failed. */
  readonly where: string;
  /** How values are escaped: not at all (text), for HTML, or for JSON strings; `| raw` opts out of the last two. */
  readonly escape: 'text' | 'html' | 'json';
  readonly parsed: Template[];
  readonly engine: TemplateEngine;
}

export interface RenderOptions {
  /** Locale, time zone and render time for filters; English, UTC and now without one. */
  format?: FormatContext;
  /** An unknown variable fails the render (preview); otherwise it renders empty (send). */
  strictVariables?: boolean;
}

/** Collects a render's output and stops it as soon as it grows past the cap. */
class CappedEmitter implements Emitter {
  buffer = '';
  constructor(private readonly cap: number) {}
  write(value: unknown): void {
    this.buffer += printed(value);
    if (this.buffer.length > this.cap)
      throw new TemplateLimitError('output size', `the template rendered more than ${this.cap} characters`);
  }
}

/** What Liquid prints for a value. */
function printed(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(printed).join('');
  return String(value);
}

function position(error: LiquidError): { line?: number; column?: number } {
  const [line, column] = error.token.getPosition();
  return line === undefined || column === undefined ? {} : { line, column };
}

/** Liquid wraps what a tag or filter threw; the first of ours in the chain is the real reason. */
function limitIn(error: unknown): TemplateLimitError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; depth += 1) {
    if (e instanceof TemplateLimitError) return e;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return undefined;
}

/** A Liquid failure as a TemplateError for a tenant: the field, where in it, and what is wrong. */
function templateError(error: unknown, field: string, where: string): TemplateError {
  const at = error instanceof LiquidError ? position(error) : {};
  const place = at.line === undefined ? '' : `, line ${at.line}, column ${at.column}`;
  const limit = limitIn(error);
  if (limit)
    return new TemplateLimitError(limit.limit, `${where}${field} stopped${place}: ${limit.message}`, { field, ...at, cause: error });
  const original = (error as { originalError?: unknown }).originalError;
  const reason = (original instanceof Error ? original.message : error instanceof Error ? error.message : String(error)).replace(
    /, line:\d+, col:\d+$/,
    '',
  );
  return new TemplateError(`${where}${field}${place}: ${reason}`, { field, ...at, cause: error });
}

/** Compiles one field; `where` prefixes error messages ("sms.yaml: MARGIN_CALL.en."). */
export function compileTemplate(engine: TemplateEngine, source: string, field: string, where = ''): CompiledTemplate {
  if (source.length > engine.limits.sourceChars)
    throw new TemplateError(`${where}${field} is longer than ${engine.limits.sourceChars} characters`, { field });
  const escape = field === 'html' ? 'html' : field === 'layout' ? 'json' : 'text';
  try {
    return { source, field, where, escape, parsed: engine[escape].parse(source), engine };
  } catch (error) {
    throw templateError(error, field, where);
  }
}

export function renderTemplate(template: CompiledTemplate, data: object, options: RenderOptions = {}): string {
  const { engine } = template;
  const liquid = engine[template.escape];
  const format = options.format ?? { locale: DEFAULT_LOCALE, timeZone: 'UTC', now: Date.now() };
  const context = engine.context(liquid, data, { format, strictVariables: options.strictVariables ?? false });
  const emitter = new CappedEmitter(engine.limits.outputChars);
  try {
    toValueSync(liquid.renderer.renderTemplates(template.parsed, context, emitter));
  } catch (error) {
    throw templateError(error, template.field, template.where);
  }
  return emitter.buffer;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For markup built in code (the email layout): the same escaping as Liquid's in an html field. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
