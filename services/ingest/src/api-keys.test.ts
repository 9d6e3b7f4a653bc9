import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ApiKeys } from './api-keys';

describe('ApiKeys', () => {
  it('maps each presented key to its tenant', () => {
    const keys = new ApiKeys([
      { tenant: 'acme', key: 'secret-a' },
      { tenant: 'globex', key: 'secret-g' },
    ]);
    expect(keys.tenantOf('secret-a')).toBe('acme');
    expect(keys.tenantOf('secret-g')).toBe('globex');
  });

  it('returns null for unknown, empty and near-miss keys', () => {
    const keys = new ApiKeys([{ tenant: 'acme', key: 'secret-a' }]);
    expect(keys.tenantOf('secret-b')).toBeNull();
    expect(keys.tenantOf('')).toBeNull();
    expect(keys.tenantOf('secret-a ')).toBeNull();
    expect(keys.tenantOf('SECRET-A')).toBeNull();
  });

  it('does not keep the plaintext keys', () => {
    const keys = new ApiKeys([{ tenant: 'acme', key: 'plaintext-key-123' }]);
    expect(inspect(keys, { depth: 10, showHidden: true })).not.toContain('plaintext-key-123');
  });

  describe('parse', () => {
    it('reads comma-separated tenant:key pairs, trimming blanks', () => {
      expect(ApiKeys.parse(' acme:k1 , globex:k2,,')).toEqual([
        { tenant: 'acme', key: 'k1' },
        { tenant: 'globex', key: 'k2' },
      ]);
    });

    it('splits at the first colon so keys may contain colons', () => {
      expect(ApiKeys.parse('acme:a:b:c')).toEqual([{ tenant: 'acme', key: 'a:b:c' }]);
    });

    it('returns nothing for an empty spec', () => {
      expect(ApiKeys.parse('')).toEqual([]);
    });

    it.each(['acme', ':key', 'acme:'])('refuses %j', (entry) => {
      expect(() => ApiKeys.parse(entry)).toThrow('must be tenant:key');
    });

    it('does not echo a whole key in the error', () => {
      expect(() => ApiKeys.parse('averylongsecretwithoutcolon')).toThrow(/"ave\.\.\."/);
      expect(() => ApiKeys.parse('averylongsecretwithoutcolon')).not.toThrow(/averylongsecret/);
    });
  });
});

describe('ApiKeys stored digests', () => {
  const hex = (key: string) => createHash('sha256').update(key).digest('hex');

  it('accepts keys stored as digests alongside configured ones', () => {
    const keys = new ApiKeys([{ tenant: 'dev', key: 'dev-key' }]);
    keys.replaceStored([{ tenant: 'acme', keyHash: hex('nk_stored') }]);
    expect(keys.tenantOf('nk_stored')).toBe('acme');
    expect(keys.tenantOf('dev-key')).toBe('dev');
  });

  it('forgets stored keys missing from the next refresh (revoked)', () => {
    const keys = new ApiKeys([]);
    keys.replaceStored([
      { tenant: 'acme', keyHash: hex('nk_a') },
      { tenant: 'acme', keyHash: hex('nk_b') },
    ]);
    keys.replaceStored([{ tenant: 'acme', keyHash: hex('nk_b') }]);
    expect(keys.tenantOf('nk_a')).toBeNull();
    expect(keys.tenantOf('nk_b')).toBe('acme');
  });
});
