/**
 * The value filters of the template language, formatted with Intl for the recipient's locale and
 * time zone: money, number, percent, date, datetime and relative. They never throw: a value that is not a
 * number (or an instant) comes back as given, so an unexpected payload still renders. They know
 * nothing of the template syntax, so another engine can register the same functions.
 */
import { IntlFormatters } from './intl-formatters';
import { DEFAULT_LOCALE } from './locale';

export interface FormatContext {
  /** BCP 47 tag (`fr-CA`, `fr_CA`); an invalid one formats as DEFAULT_LOCALE. */
  locale: string;
  /** IANA zone; an invalid one formats as UTC. */
  timeZone: string;
  /** The reference instant of `relative`, epoch milliseconds. */
  now: number;
  /** The engine's kept formatters; without them every value builds its own. */
  formatters?: IntlFormatters;
}

const formattersOf = (context: FormatContext): IntlFormatters => context.formatters ?? new IntlFormatters();

export type Filter = (value: unknown, args: readonly unknown[], context: FormatContext) => unknown;

/** Instants from payloads: epoch milliseconds, or ISO 8601 text (a date alone, or a date and time with an optional offset). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const CURRENCY = /^[A-Za-z]{3}$/;
/** Fraction digits `number` keeps by default: enough for crypto quantities, few enough to hide float noise. */
const NUMBER_MAX_FRACTION_DIGITS = 8;

interface Instant {
  ms: number;
  /** A calendar date without a time: formatted as that date in any zone. */
  dateOnly: boolean;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function asInstant(value: unknown): Instant | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? { ms: value, dateOnly: false } : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const dateOnly = ISO_DATE.test(text);
  if (!dateOnly && !ISO_DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? { ms, dateOnly } : undefined;
}

export function formatLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale.trim().replace(/_/g, '-'))[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function formatTimeZone(timeZone: string | null | undefined, formatters: IntlFormatters = new IntlFormatters()): string {
  if (!timeZone) return 'UTC';
  try {
    return formatters.dateTime(DEFAULT_LOCALE, { timeZone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** `{{ x | money: payload.currency, "USD" }}`: the first argument that is a currency code; without one, two decimals. */
export const money: Filter = (value, args, context) => {
  const n = asNumber(value);
  if (n === undefined) return value;
  const currency = args.find((a): a is string => typeof a === 'string' && CURRENCY.test(a));
  const options: Intl.NumberFormatOptions = currency
    ? { style: 'currency', currency: currency.toUpperCase() }
    : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return formattersOf(context).number(formatLocale(context.locale), options).format(n);
};

/** `{{ x | number }}` with grouping, `{{ x | number: 2 }}` with exactly that many decimals. */
export const number: Filter = (value, args, context) => {
  const n = asNumber(value);
  if (n === undefined) return value;
  const digits = args[0];
  const options: Intl.NumberFormatOptions =
    typeof digits === 'number' && Number.isInteger(digits) && digits >= 0 && digits <= 20
      ? { minimumFractionDigits: digits, maximumFractionDigits: digits }
      : { maximumFractionDigits: NUMBER_MAX_FRACTION_DIGITS };
  return formattersOf(context).number(formatLocale(context.locale), options).format(n);
};

/** `{{ 0.185 | percent }}` → "18.5%" (up to two decimals), `{{ x | percent: 2 }}` with exactly that many; the value is a ratio. */
export const percent: Filter = (value, args, context) => {
  const n = asNumber(value);
  if (n === undefined) return value;
  const digits = args[0];
  const fixed = typeof digits === 'number' && Number.isInteger(digits) && digits >= 0 && digits <= 20;
  return formattersOf(context)
    .number(formatLocale(context.locale), {
      style: 'percent',
      minimumFractionDigits: fixed ? digits : 0,
      maximumFractionDigits: fixed ? digits : 2,
    })
    .format(n);
};

/** `{{ x | date }}`: "3 Dec 2026" (en-GB), "Dec 3, 2026" (en), "3 déc. 2026" (fr). */
export const date: Filter = (value, _args, context) => {
  const instant = asInstant(value);
  if (!instant) return value;
  const timeZone = instant.dateOnly ? 'UTC' : formatTimeZone(context.timeZone, context.formatters);
  return formattersOf(context).dateTime(formatLocale(context.locale), { dateStyle: 'medium', timeZone }).format(instant.ms);
};

/** `{{ x | datetime }}`: "3 Dec 2026, 09:41 CET" (en-GB, Europe/Paris); the zone is always named. */
export const datetime: Filter = (value, args, context) => {
  const instant = asInstant(value);
  if (!instant) return value;
  if (instant.dateOnly) return date(value, args, context);
  return formattersOf(context)
    .dateTime(formatLocale(context.locale), {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: formatTimeZone(context.timeZone, context.formatters),
    })
    .format(instant.ms);
};

const RELATIVE_UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number, number]> = [
  // unit, its length in ms, and the distance below which it is used
  ['second', 1_000, 45_000],
  ['minute', 60_000, 45 * 60_000],
  ['hour', 3_600_000, 22 * 3_600_000],
  ['day', 86_400_000, 26 * 86_400_000],
  ['month', 30 * 86_400_000, 320 * 86_400_000],
  ['year', 365 * 86_400_000, Infinity],
];

/** `{{ x | relative }}`: "in 2 hours", "yesterday", "dans 3 jours", from the render time. */
export const relative: Filter = (value, _args, context) => {
  const instant = asInstant(value);
  if (!instant) return value;
  const distance = instant.ms - context.now;
  const [unit, length] = RELATIVE_UNITS.find(([, , below]) => Math.abs(distance) < below) ?? ['year', 365 * 86_400_000];
  return formattersOf(context)
    .relativeTime(formatLocale(context.locale), { numeric: 'auto' })
    .format(Math.round(distance / length), unit);
};

export const FILTERS: Readonly<Record<string, Filter>> = Object.freeze({ money, number, percent, date, datetime, relative });

export function filterNamed(name: string): Filter | undefined {
  return Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
}
