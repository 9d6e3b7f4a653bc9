/**
 * The template language: `{{ path.to.value }}` lookups into a plain data object and nothing else, so
 * a template can never run code, call functions or reach the process. Missing values render empty.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

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

/**
 * Fills every placeholder. `encode` is applied to each substituted value (never to the template's
 * own text): escapeHtml for HTML parts, so data cannot inject markup.
 */
export function interpolate(template: string, data: unknown, encode: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => encode(display(lookup(data, path))));
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The placeholders a template uses, for validating templates when they are loaded. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}
