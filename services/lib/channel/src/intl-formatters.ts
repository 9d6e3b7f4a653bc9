/**
 * Intl formatters, kept for reuse. Building an Intl.NumberFormat or DateTimeFormat costs tens of
 * microseconds (locale data is resolved each time) while formatting with one costs about one, and a
 * worker renders the same few locales, zones and styles over and over. One cache per template
 * engine, handed to the filters through the render's FormatContext; it forgets everything past
 * MAX_ENTRIES, so odd locales in payloads cannot grow it without bound.
 */
const MAX_ENTRIES = 1000;

export class IntlFormatters {
  private readonly cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

  number(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    return this.kept(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
  }

  dateTime(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    return this.kept(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
  }

  relativeTime(locale: string, options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
    return this.kept(`r|${locale}|${JSON.stringify(options)}`, () => new Intl.RelativeTimeFormat(locale, options));
  }

  private kept<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
    const found = this.cache.get(key);
    if (found) return found as T;
    const made = make();
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, made);
    return made;
  }
}
