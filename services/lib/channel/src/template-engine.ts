/**
 * The template engine: LiquidJS, set up as a sandbox. Liquid has no way to run code, call methods
 * or reach the process; on top of that every filter must exist when a template is compiled
 * (`strictFilters`), only a value's own properties are visible (`ownPropertyOnly`, so no
 * `constructor` or `__proto__`), and the tags that read other files (include, render, layout) are
 * removed, so a template is only its own text. One engine serves every render of a worker: what
 * differs between renders (locale, time zone, the clock of `relative`, the time and iteration
 * budgets) lives in the render's own Liquid context, never in the engine.
 *
 * Three Liquid instances share the setup: `text` prints values as they are, `html` HTML-escapes every
 * `{{ }}` output unless its last filter is `raw` (a template that knows a value is markup), and `json`
 * escapes every output for the inside of a JSON string (Slack blocks, a Discord embed, a Teams card
 * are JSON written around `"{{ value }}"`), so a value cannot break out of its string.
 */
import { Context, Liquid } from 'liquidjs';
import { FILTERS, type FormatContext } from './intl-filters';
import { IntlFormatters } from './intl-formatters';
import { DEFAULT_LOCALE } from './locale';
import { TemplateLimitError } from './template-error';

export interface TemplateLimits {
  /** Longest render, in milliseconds of CPU time: a loop that runs longer is stopped. */
  renderMs: number;
  /** Most characters one field may render to. */
  outputChars: number;
  /** Most loop iterations (range sizes) and string allocations of filters in one render. */
  iterations: number;
  /** Longest template text one field may have. */
  sourceChars: number;
}

export const DEFAULT_TEMPLATE_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  renderMs: 100,
  outputChars: 64 * 1024,
  iterations: 200_000,
  sourceChars: 20_000,
});

export interface RenderSettings {
  format: FormatContext;
  /** An unknown variable is an error instead of empty output: previews, never sends. */
  strictVariables: boolean;
}

export interface TemplateEngine {
  readonly limits: Readonly<TemplateLimits>;
  /** Prints values as given: titles, text bodies, SMS, speech, chat messages. */
  readonly text: Liquid;
  /** HTML-escapes every output unless it ends in `| raw`: email HTML bodies. */
  readonly html: Liquid;
  /** Escapes every output for a JSON string unless it ends in `| raw`: chat layouts (blocks, embed, card). */
  readonly json: Liquid;
  /** A fresh context for one render of one field, with its own time and iteration budget. */
  context(liquid: Liquid, scope: object, settings: RenderSettings): Context;
}

/** Liquid's loop ranges and string filters report what they allocate here. */
class IterationBudget {
  private used = 0;
  constructor(private readonly limit: number) {}
  use(count: number): void {
    if (!(+count > 0)) return;
    this.used += +count;
    if (this.used > this.limit) throw new TemplateLimitError('iterations', `the template went over ${this.limit} loop iterations`);
  }
  check(count: number): void {
    if (+count > this.limit) throw new TemplateLimitError('iterations', `the template went over ${this.limit} loop iterations`);
  }
}

/**
 * Liquid checks the clock before every tag and output, inside loops too. The limit is on the CPU
 * time the render used, not the wall clock: a render held up by a busy machine or a pause of the
 * process is not a runaway template, and failing it for good would lose a message to load.
 */
class RenderClock {
  private readonly deadline: number;
  private readonly cpuAtStart = process.cpuUsage();
  constructor(private readonly limitMs: number) {
    this.deadline = performance.now() + limitMs;
  }
  use(): void {}
  check(): void {
    // CPU time can only pass the limit after wall time has: the cheap clock first.
    if (performance.now() <= this.deadline) return;
    const cpu = process.cpuUsage(this.cpuAtStart);
    if ((cpu.user + cpu.system) / 1000 > this.limitMs)
      throw new TemplateLimitError('time', `the template took longer than ${this.limitMs} ms to render`);
  }
}

const FILE_TAGS = ['include', 'render', 'layout'] as const;

/** The formats of the renders under way, by their globals object (which Liquid hands to spawned contexts too). */
type Formats = WeakMap<object, FormatContext>;

/** A value as the inside of a JSON string literal. */
function jsonStringEscape(value: unknown): string {
  return JSON.stringify(String(value)).slice(1, -1);
}

function sandboxedLiquid(escape: 'html' | 'json' | null, formats: Formats): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    // `{% if payload.optional %}` stays usable when a preview renders with strict variables.
    lenientIf: true,
    cache: false,
    ...(escape === 'html' ? { outputEscape: 'escape' as const } : escape === 'json' ? { outputEscape: jsonStringEscape } : {}),
  });
  for (const tag of FILE_TAGS) delete liquid.tags[tag];
  for (const [name, filter] of Object.entries(FILTERS)) {
    liquid.registerFilter(name, function (this: { context: Context }, value: unknown, ...args: unknown[]) {
      const format = formats.get(this.context.globals) ?? { locale: DEFAULT_LOCALE, timeZone: 'UTC', now: Date.now() };
      return filter(value, args, format);
    });
  }
  return liquid;
}

export function createTemplateEngine(limits: Partial<TemplateLimits> = {}): TemplateEngine {
  const settled = Object.freeze({ ...DEFAULT_TEMPLATE_LIMITS, ...limits });
  const formats: Formats = new WeakMap();
  const formatters = new IntlFormatters();
  return {
    limits: settled,
    text: sandboxedLiquid(null, formats),
    html: sandboxedLiquid('html', formats),
    json: sandboxedLiquid('json', formats),
    context(liquid, scope, settings) {
      const globals = {};
      formats.set(globals, { formatters, ...settings.format });
      const context = new Context(scope, liquid.options, { sync: true, globals, strictVariables: settings.strictVariables }, { liquid });
      // Our own budgets in place of Liquid's, so a limit surfaces as a TemplateLimitError naming it.
      return Object.assign(context, {
        memoryLimit: new IterationBudget(settled.iterations),
        renderLimit: new RenderClock(settled.renderMs),
      });
    },
  };
}
