import { compileSafeRegex, MAX_PATTERN_LENGTH, MAX_SUBJECT_LENGTH, testCapped } from './safe-regex';

describe('compileSafeRegex', () => {
  it('accepts ordinary patterns', () => {
    for (const pattern of ['^TIER_[12]_', '\\d{3,5}', 'a+b*', '(buy|sell)', '[(+)]+', '(ab)?c+', '(\\d)+']) {
      expect(compileSafeRegex(pattern)).toMatchObject({ ok: true });
    }
  });

  it('refuses invalid syntax with the engine message', () => {
    const check = compileSafeRegex('(unclosed');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(/^invalid regular expression/);
  });

  it('refuses patterns that are too long', () => {
    expect(compileSafeRegex('a'.repeat(MAX_PATTERN_LENGTH))).toMatchObject({ ok: true });
    expect(compileSafeRegex('a'.repeat(MAX_PATTERN_LENGTH + 1))).toMatchObject({ ok: false });
  });

  it.each(['(a+)+$', '(a*)*', '(x+x+)+y', '((ab)+)*', '(\\w+\\s?){2,}', '(?:a|b+)*'])('refuses nested quantifier %s', (pattern) => {
    expect(compileSafeRegex(pattern)).toMatchObject({ ok: false });
  });

  it('caps the subject so a long field cannot make matching slow', () => {
    const regex = /z$/;
    expect(testCapped(regex, `${'a'.repeat(MAX_SUBJECT_LENGTH)}z`)).toBe(false);
    expect(testCapped(regex, 'aaz')).toBe(true);
  });
});
