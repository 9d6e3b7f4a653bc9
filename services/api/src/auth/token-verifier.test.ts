import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { InvalidTokenError, signUserToken } from './jwt';
import { TokenKeysUnavailableError, TokenVerifier } from './token-verifier';

const OLD = { kid: 'k-2025', secret: 'o'.repeat(40) };
const NEW = { kid: 'k-2026', secret: 'n'.repeat(40) };
const user = { tenant: 'acme', userId: 'u1', role: 'user' as const };

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe("TokenVerifier with the installation's own keys (HS256)", () => {
  const verifier = new TokenVerifier({ keys: [NEW, OLD] });

  it('accepts a token signed with any current key named by its kid, and one without a kid from before rotation', async () => {
    await expect(verifier.verify(signUserToken(NEW.secret, user, 60, { kid: NEW.kid }))).resolves.toMatchObject({
      tenant: 'acme',
      userId: 'u1',
      role: 'user',
    });
    await expect(verifier.verify(signUserToken(OLD.secret, user, 60, { kid: OLD.kid }))).resolves.toMatchObject({ userId: 'u1' });
    await expect(verifier.verify(signUserToken(OLD.secret, { ...user, role: 'platform' }, 60))).resolves.toMatchObject({
      role: 'platform',
    });
  });

  it('refuses a key id it does not hold, a kid naming the wrong secret, and a secret it does not hold', async () => {
    expect(await reason(verifier.verify(signUserToken(NEW.secret, user, 60, { kid: 'k-1999' })))).toBe('unknown key id k-1999');
    expect(await reason(verifier.verify(signUserToken(OLD.secret, user, 60, { kid: NEW.kid })))).toBe('bad signature');
    expect(await reason(verifier.verify(signUserToken('x'.repeat(40), user, 60)))).toBe('bad signature');
  });

  it('checks exp (required), nbf, with 30 s of skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reason(verifier.verify(signUserToken(NEW.secret, user, 60, { nowSeconds: now - 120 })))).toBe('token expired');
    await expect(verifier.verify(signUserToken(NEW.secret, user, 60, { nowSeconds: now - 80 }))).resolves.toMatchObject({ userId: 'u1' });
    expect(await reason(verifier.verify(signUserToken(NEW.secret, user, 600, { notBeforeSeconds: 120 })))).toBe('token not yet valid');
    const noExp = await new SignJWT({ tenant: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .sign(new TextEncoder().encode(NEW.secret));
    expect(await reason(verifier.verify(noExp))).toMatch(/exp/);
  });

  it('checks iss and aud when configured', async () => {
    const strict = new TokenVerifier({ keys: [NEW], issuer: 'https://notify.example', audience: 'notify-api' });
    await expect(
      strict.verify(signUserToken(NEW.secret, user, 60, { issuer: 'https://notify.example', audience: 'notify-api' })),
    ).resolves.toMatchObject({ userId: 'u1' });
    expect(
      await reason(strict.verify(signUserToken(NEW.secret, user, 60, { issuer: 'https://evil.example', audience: 'notify-api' }))),
    ).toBe('token iss is not accepted');
    expect(
      await reason(strict.verify(signUserToken(NEW.secret, user, 60, { issuer: 'https://notify.example', audience: 'another-api' }))),
    ).toBe('token aud is not accepted');
    expect(await reason(strict.verify(signUserToken(NEW.secret, user, 60)))).toMatch(/iss/);
  });

  it('refuses unsigned tokens, other algorithms, garbage, and tokens without sub or tenant; unknown roles are plain users', async () => {
    const [header, payload] = signUserToken(NEW.secret, user, 60).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect(await reason(verifier.verify(none))).toBe('unsupported algorithm');
    expect(await reason(verifier.verify(`${header}.${payload}`))).toBe('malformed token');
    expect(await reason(verifier.verify('not-a-token'))).toBe('malformed token');
    expect(await reason(verifier.verify(signUserToken(NEW.secret, { ...user, tenant: '' }, 60)))).toBe('token lacks sub or tenant');
    const admin = await new SignJWT({ tenant: 'acme', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(NEW.secret));
    await expect(verifier.verify(admin)).resolves.toMatchObject({ role: 'user' });
  });

  it('says whether a secret is one of its keys', () => {
    expect(verifier.usesSecret(OLD.secret)).toBe(true);
    expect(verifier.usesSecret('c'.repeat(40))).toBe(false);
  });
});

describe("TokenVerifier with an identity provider's JWKS", () => {
  let server: Server;
  let jwksUrl: string;
  let signing: { privateKey: KeyLike; kid: string };
  let served: unknown = null;
  let available = true;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signing = { privateKey: pair.privateKey, kid: 'idp-1' };
    served = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] };
    server = createServer((_req, res) => {
      if (!available) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const idpToken = (claims: Record<string, unknown>, kid = signing.kid) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('alice')
      .setIssuer('https://idp.example')
      .setAudience('notify-api')
      .setExpirationTime('5m')
      .sign(signing.privateKey);

  it("accepts the provider's RS256 tokens with the tenant in a namespaced claim, beside the installation's own HS256 keys", async () => {
    const verifier = new TokenVerifier({
      keys: [NEW],
      jwksUrl,
      issuer: 'https://idp.example',
      audience: 'notify-api',
      tenantClaim: 'https://notify.example/tenant',
    });
    await expect(verifier.verify(await idpToken({ 'https://notify.example/tenant': 'acme', role: 'operator' }))).resolves.toMatchObject({
      tenant: 'acme',
      userId: 'alice',
      role: 'operator',
    });
    expect(await reason(verifier.verify(await idpToken({ tenant: 'acme' })))).toBe('token lacks sub or https://notify.example/tenant');
  });

  it("never checks an HS256 token against the provider's public key (algorithm confusion)", async () => {
    const verifier = new TokenVerifier({ keys: [], jwksUrl });
    const jwk = (served as { keys: Array<{ n: string }> }).keys[0];
    const forged = signUserToken(JSON.stringify(jwk), user, 60, { kid: 'idp-1' });
    expect(await reason(verifier.verify(forged))).toBe('unknown key id idp-1');
  });

  it('refuses a kid the provider does not publish, and says the keys are unavailable (not a bad token) when it cannot fetch them', async () => {
    const verifier = new TokenVerifier({ keys: [], jwksUrl });
    expect(await reason(verifier.verify(await idpToken({ tenant: 'acme' }, 'idp-9')))).toBe(
      'no key of the identity provider matches the token',
    );
    available = false;
    try {
      const fresh = new TokenVerifier({ keys: [], jwksUrl });
      await expect(fresh.verify(await idpToken({ tenant: 'acme' }))).rejects.toBeInstanceOf(TokenKeysUnavailableError);
    } finally {
      available = true;
    }
  });
});
