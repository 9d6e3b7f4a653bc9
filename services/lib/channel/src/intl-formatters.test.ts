import { IntlFormatters } from './intl-formatters';

describe('IntlFormatters', () => {
  it('hands back the same formatter for the same locale and options, another for others', () => {
    const formatters = new IntlFormatters();
    const usd = formatters.number('en', { style: 'currency', currency: 'USD' });
    expect(formatters.number('en', { style: 'currency', currency: 'USD' })).toBe(usd);
    expect(formatters.number('fr', { style: 'currency', currency: 'USD' })).not.toBe(usd);
    expect(formatters.number('en', { style: 'currency', currency: 'EUR' })).not.toBe(usd);
    expect(usd.format(1250.5)).toBe('$1,250.50');
    expect(formatters.dateTime('en', { timeZone: 'UTC' })).toBe(formatters.dateTime('en', { timeZone: 'UTC' }));
    expect(formatters.relativeTime('fr', { numeric: 'auto' }).format(1, 'day')).toBe('demain');
  });

  it('forgets everything past a thousand formatters rather than growing without bound', () => {
    const formatters = new IntlFormatters();
    const first = formatters.number('en', { maximumFractionDigits: 0 });
    // 3 × 21 × 21 = 1,323 different formatters.
    for (const locale of ['en', 'fr', 'de']) {
      for (let integer = 1; integer <= 21; integer += 1) {
        for (let fraction = 0; fraction <= 20; fraction += 1)
          formatters.number(locale, { minimumIntegerDigits: integer, maximumFractionDigits: fraction });
      }
    }
    expect(formatters.number('en', { maximumFractionDigits: 0 })).not.toBe(first);
  });
});
