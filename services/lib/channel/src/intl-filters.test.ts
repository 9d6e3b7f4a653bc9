import { date, datetime, formatLocale, formatTimeZone, money, number, percent, relative, type FormatContext } from './intl-filters';

const NOW = Date.parse('2026-12-03T06:41:00Z');
const DEADLINE = '2026-12-03T08:41:00.257Z';

function at(locale: string, timeZone = 'UTC'): FormatContext {
  return { locale, timeZone, now: NOW };
}

/** ICU separates French thousands and currency signs with (narrow) no-break spaces. */
function plain(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/[\u00a0\u202f]/g, ' ') : value;
}

describe('money', () => {
  it.each([
    ['en', 5000, ['USD'], '$5,000.00'],
    ['fr', 5000, ['USD'], '5 000,00 $US'],
    ['fr-CA', 5000, ['USD'], '5 000,00 $ US'],
    ['en', -100, ['EUR'], '-€100.00'],
    ['fr', -100, ['EUR'], '-100,00 €'],
    ['en', '5000.5', ['usd'], '$5,000.50'],
  ])('%s formats %j in %j as %j', (locale, value, args, expected) => {
    expect(plain(money(value, args, at(locale)))).toBe(expected);
  });

  it('takes the first argument that is a currency code, so a template can name a default', () => {
    expect(money(5000, [undefined, 'USD'], at('en'))).toBe('$5,000.00');
    expect(money(5000, ['GBP', 'USD'], at('en'))).toBe('£5,000.00');
    expect(money(5000, [42, 'not a code', 'EUR'], at('en'))).toBe('€5,000.00');
  });

  it('gives two decimals without a currency', () => {
    expect(money(5000, [], at('en'))).toBe('5,000.00');
    expect(plain(money(5000, [undefined], at('fr')))).toBe('5 000,00');
  });

  it.each([['$2M'], ['soon'], [''], [null], [undefined], [true], [{ amount: 1 }], [Number.NaN]])('returns %j as given', (value) => {
    expect(money(value, ['USD'], at('en'))).toBe(value);
  });
});

describe('number', () => {
  it('groups digits for the locale and keeps the decimals a quantity has', () => {
    expect(number(1234567.891, [], at('en'))).toBe('1,234,567.891');
    expect(plain(number(1234567.891, [], at('fr')))).toBe('1 234 567,891');
    expect(number(0.00012345, [], at('en'))).toBe('0.00012345');
    expect(number(0.1 + 0.2, [], at('en'))).toBe('0.3');
  });

  it('fixes the decimals to an integer argument', () => {
    expect(number(1234567.891, [2], at('en'))).toBe('1,234,567.89');
    expect(plain(number('7', [2], at('fr')))).toBe('7,00');
  });

  it.each([['100 shares'], ['1e'], [null], [[1, 2]]])('returns %j as given', (value) => {
    expect(number(value, [], at('en'))).toBe(value);
  });
});

describe('percent', () => {
  it('formats a ratio as a percentage for the locale, to two decimals at most or exactly the argument', () => {
    expect(percent(0.185, [], at('en'))).toBe('18.5%');
    expect(plain(percent(0.185, [], at('fr')))).toBe('18,5 %');
    expect(plain(percent(0.185, [], at('de')))).toBe('18,5 %');
    expect(percent(-0.02, [2], at('en'))).toBe('-2.00%');
    expect(percent('0.04', [], at('en-US'))).toBe('4%');
  });

  it.each([['85%'], [null], [undefined]])('returns %j as given', (value) => {
    expect(percent(value, [], at('en'))).toBe(value);
  });
});

describe('date', () => {
  it('formats the day in the locale', () => {
    expect(date(DEADLINE, [], at('en'))).toBe('Dec 3, 2026');
    expect(date(DEADLINE, [], at('en-GB'))).toBe('3 Dec 2026');
    expect(date(DEADLINE, [], at('fr'))).toBe('3 déc. 2026');
  });

  it('takes the day in the recipient time zone', () => {
    expect(date('2026-12-03T23:30:00Z', [], at('en', 'Asia/Tokyo'))).toBe('Dec 4, 2026');
    expect(date('2026-12-03T03:30:00Z', [], at('en', 'America/New_York'))).toBe('Dec 2, 2026');
  });

  it('keeps a date without a time on its calendar day in every zone', () => {
    expect(date('2026-12-03', [], at('en', 'America/New_York'))).toBe('Dec 3, 2026');
    expect(date('2026-12-03', [], at('en', 'Pacific/Kiritimati'))).toBe('Dec 3, 2026');
  });

  it('reads epoch milliseconds', () => {
    expect(date(Date.parse(DEADLINE), [], at('en'))).toBe('Dec 3, 2026');
  });

  it.each([['demain'], ['16:00 UTC'], ['12/03/2026'], ['1'], [null], [{}]])('returns %j as given', (value) => {
    expect(date(value, [], at('en'))).toBe(value);
  });
});

describe('datetime', () => {
  it('formats day and time in the recipient zone and names the zone', () => {
    expect(datetime(DEADLINE, [], at('en-GB', 'Europe/Paris'))).toBe('3 Dec 2026, 09:41 CET');
    expect(plain(datetime(DEADLINE, [], at('en', 'Europe/Paris')))).toBe('Dec 3, 2026, 9:41 AM GMT+1');
    expect(plain(datetime(DEADLINE, [], at('en', 'America/New_York')))).toBe('Dec 3, 2026, 3:41 AM EST');
    expect(plain(datetime(DEADLINE, [], at('fr', 'Europe/Paris')))).toBe('3 déc. 2026, 09:41 UTC+1');
  });

  it('follows daylight saving time', () => {
    expect(datetime('2026-07-03T08:41:00Z', [], at('en-GB', 'Europe/Paris'))).toBe('3 Jul 2026, 10:41 CEST');
  });

  it('uses UTC for a missing or unknown zone', () => {
    expect(plain(datetime(DEADLINE, [], at('en', '')))).toBe('Dec 3, 2026, 8:41 AM UTC');
    expect(plain(datetime(DEADLINE, [], at('en', 'Mars/Olympus_Mons')))).toBe('Dec 3, 2026, 8:41 AM UTC');
  });

  it('uses English for a locale Intl cannot read', () => {
    expect(plain(datetime(DEADLINE, [], at('../../etc')))).toBe('Dec 3, 2026, 8:41 AM UTC');
  });

  it('formats a date without a time as that date', () => {
    expect(datetime('2026-12-03', [], at('en', 'America/New_York'))).toBe('Dec 3, 2026');
  });

  it('returns text that is not an instant as given', () => {
    expect(datetime('end of day', [], at('en'))).toBe('end of day');
  });
});

describe('relative', () => {
  it.each([
    ['en', DEADLINE, 'in 2 hours'],
    ['fr', DEADLINE, 'dans 2 heures'],
    ['en', '2026-12-02T06:41:00Z', 'yesterday'],
    ['fr', '2026-12-02T06:41:00Z', 'hier'],
    ['en', NOW + 30_000, 'in 30 seconds'],
    ['en', NOW - 5 * 60_000, '5 minutes ago'],
    ['en', NOW + 90 * 86_400_000, 'in 3 months'],
    ['fr', NOW - 3 * 365 * 86_400_000, 'il y a 3 ans'],
  ])('%s says %j relative to the render time as %j', (locale, value, expected) => {
    expect(relative(value, [], at(locale))).toBe(expected);
  });

  it('returns text that is not an instant as given', () => {
    expect(relative('tomorrow', [], at('en'))).toBe('tomorrow');
  });
});

describe('locale and zone normalisation', () => {
  it('reads underscores and refuses what Intl cannot read', () => {
    expect(formatLocale('fr_CA')).toBe('fr-CA');
    expect(formatLocale('x')).toBe('en');
    expect(formatTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(formatTimeZone(null)).toBe('UTC');
    expect(formatTimeZone('Mars/Olympus_Mons')).toBe('UTC');
  });
});
