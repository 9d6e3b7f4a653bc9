/** Locale fallback: `fr-CA` → `fr-CA`, `fr`, then the default language. */
export const DEFAULT_LOCALE = 'en';

export function localeChain(locale: string | null | undefined, fallback: string = DEFAULT_LOCALE): string[] {
  const parts = (locale ?? '').trim().split(/[-_]/).filter(Boolean);
  const chain: string[] = [];
  const language = parts[0]?.toLowerCase();
  if (language && /^[a-z]{2,3}$/.test(language)) {
    const region = parts[1];
    if (region && /^[A-Za-z0-9]{2,8}$/.test(region)) chain.push(`${language}-${region.length === 2 ? region.toUpperCase() : region}`);
    chain.push(language);
  }
  if (!chain.includes(fallback)) chain.push(fallback);
  return chain;
}

/**
 * The locale values are formatted in: the recipient's own (`fr-CA` keeps its "5 000,00 $ US") when
 * the text is in the recipient's language, else the text's, so an English fallback text never
 * carries German number formats.
 */
export function formattingLocale(requested: string | null | undefined, textLocale: string | undefined): string {
  const wanted = localeChain(requested)[0] ?? DEFAULT_LOCALE;
  if (!textLocale) return wanted;
  const language = (tag: string) => tag.split('-')[0];
  return language(wanted) === language(textLocale) ? wanted : textLocale;
}
