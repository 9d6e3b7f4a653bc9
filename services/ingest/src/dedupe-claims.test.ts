import { claimKeyOf, decideClaims, firstClaims, type DedupeClaim, type KeyOutcome } from './dedupe-claims';

const claim = (tenant: string, key: string, eventId: string): DedupeClaim => ({ tenant, key, eventId });
const outcomes = (entries: Array<[DedupeClaim, KeyOutcome]>) => new Map(entries.map(([c, o]) => [claimKeyOf(c), o]));

describe('firstClaims', () => {
  it('keeps the first claim of each tenant and key, in order', () => {
    const claims = [claim('a', 'k', 'e1'), claim('a', 'k', 'e2'), claim('b', 'k', 'e3'), claim('a', 'j', 'e4'), claim('b', 'k', 'e5')];
    expect(firstClaims(claims).map((c) => c.eventId)).toEqual(['e1', 'e3', 'e4']);
  });

  it('does not confuse a tenant and key that concatenate alike', () => {
    expect(firstClaims([claim('ab', 'c', 'e1'), claim('a', 'bc', 'e2')])).toHaveLength(2);
  });
});

describe('decideClaims', () => {
  it('lets a claim that took its key proceed', () => {
    const c = claim('a', 'k', 'e1');
    expect(decideClaims([c], outcomes([[c, { claimed: true, holder: null }]]))).toEqual([{ duplicate: false }]);
  });

  it('reports the holder to a claim that did not take its key', () => {
    const c = claim('a', 'k', 'e2');
    expect(decideClaims([c], outcomes([[c, { claimed: false, holder: 'e1' }]]))).toEqual([{ duplicate: true, holder: 'e1' }]);
  });

  it('judges later claims of a key against the first claim once it took the key', () => {
    const first = claim('a', 'k', 'e1');
    const verdicts = decideClaims(
      [first, claim('a', 'k', 'e2'), claim('a', 'k', 'e1')],
      outcomes([[first, { claimed: true, holder: 'e0' }]]),
    );
    expect(verdicts).toEqual([{ duplicate: false }, { duplicate: true, holder: 'e1' }, { duplicate: false }]);
  });

  it('lets a redelivery of the holder through beside a refused claim of the same key', () => {
    const first = claim('a', 'k', 'e2');
    const verdicts = decideClaims([first, claim('a', 'k', 'e1')], outcomes([[first, { claimed: false, holder: 'e1' }]]));
    expect(verdicts).toEqual([{ duplicate: true, holder: 'e1' }, { duplicate: false }]);
  });

  it('calls a refused claim a duplicate even when the holder was not visible to the statement', () => {
    const c = claim('a', 'k', 'e2');
    expect(decideClaims([c], outcomes([[c, { claimed: false, holder: null }]]))).toEqual([{ duplicate: true, holder: null }]);
  });

  it('keeps tenants apart', () => {
    const a = claim('a', 'k', 'e1');
    const b = claim('b', 'k', 'e2');
    expect(
      decideClaims(
        [a, b],
        outcomes([
          [a, { claimed: true, holder: null }],
          [b, { claimed: true, holder: null }],
        ]),
      ),
    ).toEqual([{ duplicate: false }, { duplicate: false }]);
  });

  it('refuses to guess when a key has no outcome', () => {
    expect(() => decideClaims([claim('a', 'k', 'e1')], new Map())).toThrow('no outcome');
  });
});
