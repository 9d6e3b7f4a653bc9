/**
 * Alertmanager matchers: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"` (quotes
 * optional; regular expressions are anchored, as Alertmanager anchors them).
 */
import type { AlertLabels } from './alert-labels';

export interface Matcher {
  readonly text: string;
  matches(labels: AlertLabels): boolean;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"]*?))\s*$/;

export function parseMatcher(text: string): Matcher {
  const match = MATCHER.exec(text);
  if (!match) throw new Error(`not a matcher: ${text} (expected name="value", name!="value", name=~"regex" or name!~"regex")`);
  const name = match[1] as string;
  const operator = match[2] as string;
  const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? '');
  if (operator === '=') return { text, matches: (l) => l.get(name) === value };
  if (operator === '!=') return { text, matches: (l) => l.get(name) !== value };
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${value})$`);
  } catch (error) {
    throw new Error(`matcher ${text}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return operator === '=~' ? { text, matches: (l) => regex.test(l.get(name)) } : { text, matches: (l) => !regex.test(l.get(name)) };
}
