/**
 * Durations in rule files: a number of seconds (`90`, `"90"`) or unit terms summed together
 * (`30s`, `5m`, `1h30m`, `250ms`, `1d`). Returns milliseconds, or undefined when the text is not a duration.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const TERM = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const PLAIN_SECONDS = /^\d+(?:\.\d+)?$/;

export const DURATION_FORMAT = 'a number of seconds or a duration such as 30s, 5m, 1h, 1h30m';

export function parseDurationMs(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const text = input.trim().toLowerCase();
  if (PLAIN_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(TERM)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
