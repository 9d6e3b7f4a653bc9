import { compileGlob } from './glob';

describe('compileGlob', () => {
  it('matches exact names exactly and case-sensitively', () => {
    const matches = compileGlob('MARGIN_CALL');
    expect(matches('MARGIN_CALL')).toBe(true);
    expect(matches('MARGIN_CALLS')).toBe(false);
    expect(matches('margin_call')).toBe(false);
  });

  it('lets * stand for any run of characters, including none', () => {
    const matches = compileGlob('RISK_*');
    expect(matches('RISK_')).toBe(true);
    expect(matches('RISK_LIMIT_BREACH')).toBe(true);
    expect(matches('PRE_RISK_LIMIT')).toBe(false);
    expect(compileGlob('*')('ANYTHING.at/all')).toBe(true);
    expect(compileGlob('*_FILLED')('ORDER_FILLED')).toBe(true);
  });

  it('lets ? stand for exactly one character', () => {
    const matches = compileGlob('ORDER_?ILLED');
    expect(matches('ORDER_FILLED')).toBe(true);
    expect(matches('ORDER_ILLED')).toBe(false);
  });

  it('treats regex metacharacters literally', () => {
    const matches = compileGlob('a.b+(c)*');
    expect(matches('a.b+(c)')).toBe(true);
    expect(matches('a.b+(c)xyz')).toBe(true);
    expect(matches('aXb+(c)')).toBe(false);
    expect(matches('a.bb(c)')).toBe(false);
  });
});
