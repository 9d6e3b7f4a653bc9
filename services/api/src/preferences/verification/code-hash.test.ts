import { codeMatches, hashCode, isWellFormedCode, newSalt } from './code-hash';

const SECRET = 'a-test-secret-that-is-long-enough-32b';

describe('one-time code hashing', () => {
  it('matches the code it hashed and nothing else', () => {
    const salt = newSalt();
    const stored = hashCode(SECRET, salt, '042137');
    expect(codeMatches(SECRET, salt, '042137', stored)).toBe(true);
    expect(codeMatches(SECRET, salt, '042138', stored)).toBe(false);
    expect(codeMatches('another-secret-that-is-long-enough-32', salt, '042137', stored)).toBe(false);
    expect(codeMatches(SECRET, newSalt(), '042137', stored)).toBe(false);
  });

  it('never stores the code itself', () => {
    const stored = hashCode(SECRET, newSalt(), '123456');
    expect(stored.toString('utf8')).not.toContain('123456');
    expect(stored.toString('hex')).not.toContain(Buffer.from('123456').toString('hex'));
  });

  it('gives equal codes different hashes under different salts', () => {
    expect(hashCode(SECRET, newSalt(), '000000').equals(hashCode(SECRET, newSalt(), '000000'))).toBe(false);
  });

  it.each([
    ['123456', true],
    ['012345', true],
    ['12345', false],
    ['1234567', false],
    ['12a456', false],
    ['١٢٣٤٥٦', false],
  ])('%s well formed: %s', (code, ok) => {
    expect(isWellFormedCode(code)).toBe(ok);
  });
});
