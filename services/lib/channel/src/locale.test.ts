import { localeChain } from './locale';

describe('localeChain', () => {
  it.each([
    ['fr-CA', ['fr-CA', 'fr', 'en']],
    ['fr_ca', ['fr-CA', 'fr', 'en']],
    ['de', ['de', 'en']],
    ['en-GB', ['en-GB', 'en']],
    ['en', ['en']],
    ['', ['en']],
    [null, ['en']],
    ['../../etc', ['en']],
  ])('%j falls back through %j', (locale, chain) => {
    expect(localeChain(locale)).toEqual(chain);
  });
});
