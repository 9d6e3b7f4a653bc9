import { parseTokenKeys } from './token-keys';

const long = (c: string) => c.repeat(32);

describe('parseTokenKeys', () => {
  it('reads kid:secret entries separated by commas or lines, skipping blanks and comments', () => {
    expect(parseTokenKeys(`k2:${long('b')}, k1:${long('a')}\n# retired\n\n`)).toEqual({
      keys: [
        { kid: 'k2', secret: long('b') },
        { kid: 'k1', secret: long('a') },
      ],
      problems: [],
    });
  });

  it('keeps colons inside a secret', () => {
    expect(parseTokenKeys(`k1:${long('a')}:x`).keys).toEqual([{ kid: 'k1', secret: `${long('a')}:x` }]);
  });

  it('names every malformed entry: no kid, a short secret, a repeated kid', () => {
    expect(parseTokenKeys(`${long('a')},k1:short,k2:${long('b')},k2:${long('c')}`).problems).toEqual([
      expect.stringContaining('entry 1: expected <kid>:<secret>'),
      'key k1: the secret must be at least 32 bytes',
      'key k2: listed twice',
    ]);
  });
});
