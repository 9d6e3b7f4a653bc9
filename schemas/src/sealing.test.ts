import { randomBytes } from 'node:crypto';
import { isSealed, parseSealingKeys, SealError, Sealer } from './sealing';

const keyText = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;

describe('Sealer', () => {
  const [k1, k2] = [keyText('k1'), keyText('k2')];
  const current = new Sealer(parseSealingKeys(`${k2},${k1}`));

  it('seals with the first key and opens with any, bound to its record', () => {
    const sealed = new Sealer(parseSealingKeys(k1)).seal('004211', 'acme/u1');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('004211');
    expect(sealed.startsWith('sealed.v1.k1.')).toBe(true);
    expect(current.open(sealed, 'acme/u1')).toBe('004211');
    expect(current.seal('x', 'acme/u1').startsWith('sealed.v1.k2.')).toBe(true);
  });

  it('refuses another record, a tampered value, an unknown key and a truncated one', () => {
    const sealed = current.seal('004211', 'acme/u1');
    expect(() => current.open(sealed, 'acme/u2')).toThrow(SealError);
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => current.open(flipped, 'acme/u1')).toThrow(/does not open/);
    expect(() => new Sealer(parseSealingKeys(keyText('k3'))).open(sealed, 'acme/u1')).toThrow(/key k2, which this service does not hold/);
    expect(() => current.open('sealed.v1.k2.AAAA', 'acme/u1')).toThrow(/truncated/);
    expect(() => current.open('004211', 'acme/u1')).toThrow(/not a sealed value/);
  });

  it('parses keys strictly', () => {
    expect(() => parseSealingKeys('k1:short')).toThrow(/must be 32 bytes/);
    expect(() => parseSealingKeys(randomBytes(32).toString('base64'))).toThrow(/expected <kid>:<base64 key>/);
    expect(() => parseSealingKeys(`${k1},${k1}`)).toThrow(/listed twice/);
    expect(() => new Sealer([])).toThrow(/at least one/);
  });
});
