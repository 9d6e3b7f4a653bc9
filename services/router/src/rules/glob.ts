/**
 * Event-type patterns: `*` stands for any run of characters and `?` for one; everything else is literal
 * and case-sensitive, because event types are identifiers (`RISK_*`, `ORDER_?ILLED`, `*`).
 */
export type TextMatcher = (text: string) => boolean;

export function compileGlob(pattern: string): TextMatcher {
  if (!/[*?]/.test(pattern)) return (text) => text === pattern;
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  const regex = new RegExp(`^${body}$`, 's');
  return (text) => regex.test(text);
}
