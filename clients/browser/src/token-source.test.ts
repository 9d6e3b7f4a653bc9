import { AuthError, MIN_REFRESH_DELAY_MS, refreshDelay, tokenTimes, TokenSource } from './token-source';

const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${base64url(JSON.stringify(claims))}.c2ln`;

describe('token times and refresh', () => {
  it('reads iat and exp from a JWT payload in base64url without padding', () => {
    expect(tokenTimes(jwt({ sub: 'u~?>', iat: 1000, exp: 4600 }))).toEqual({ iat: 1000, exp: 4600 });
    expect(tokenTimes('not-a-jwt')).toEqual({});
    expect(tokenTimes('a.%%%.c')).toEqual({});
  });

  it('refreshes a quarter of the lifetime before expiry, at most a minute before, never sooner than the floor', () => {
    const now = 1_000_000_000;
    expect(refreshDelay(jwt({ iat: now / 1000, exp: now / 1000 + 3600 }), now)).toBe(3_540_000);
    expect(refreshDelay(jwt({ iat: now / 1000, exp: now / 1000 + 40 }), now)).toBe(30_000);
    expect(refreshDelay(jwt({ iat: now / 1000 - 100, exp: now / 1000 - 50 }), now)).toBe(MIN_REFRESH_DELAY_MS);
    expect(refreshDelay(jwt({ sub: 'x' }), now)).toBeNull();
  });
});

describe('TokenSource', () => {
  it('needs a token or a way to get one', () => {
    expect(() => new TokenSource(undefined, undefined)).toThrow(TypeError);
  });

  it('cannot replace a fixed token', async () => {
    const source = new TokenSource('t1', undefined);
    expect(source.refreshable).toBe(false);
    await expect(source.current()).resolves.toBe('t1');
    await expect(source.fresh()).rejects.toThrow(AuthError);
  });

  it('asks the app once for concurrent refreshes and keeps the answer', async () => {
    let calls = 0;
    const source = new TokenSource(undefined, async () => `t${++calls}`);
    const [a, b] = await Promise.all([source.current(), source.current()]);
    expect([a, b, calls]).toEqual(['t1', 't1', 1]);
    await expect(source.current()).resolves.toBe('t1');
    await expect(source.fresh()).resolves.toBe('t2');
    await expect(source.current()).resolves.toBe('t2');
  });

  it('reports an empty token from the app as an auth failure', async () => {
    await expect(new TokenSource(undefined, () => '').current()).rejects.toThrow(AuthError);
  });
});
