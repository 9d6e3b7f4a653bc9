/**
 * APNs token-based authentication: an ES256 JWT (header kid = key id; claims iss = team id, iat)
 * signed with the .p8 key. Apple refuses a token older than an hour and throttles one renewed more
 * often than every 20 minutes, so one token is reused for 40 minutes, then replaced; a token APNs
 * calls expired (ExpiredProviderToken) is replaced at once.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

const TOKEN_LIFETIME_MS = 40 * 60_000;

export function parseSigningKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(
      `${where}: not a PEM private key (the .p8 file from Certificates, Identifiers & Profiles > Keys): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error(`${where}: an APNs key is a P-256 EC key, this is ${key.asymmetricKeyType}`);
  return key;
}

export class ProviderToken {
  private current: { jwt: string; issuedAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly key: KeyObject,
    private readonly keyId: string,
    private readonly teamId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.current && this.now() - this.current.issuedAt < TOKEN_LIFETIME_MS) return this.current.jwt;
    this.pending ??= this.sign().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** APNs said this token expired: the next request signs a new one. */
  expire(jwt: string): void {
    if (this.current?.jwt === jwt) this.current = undefined;
  }

  private async sign(): Promise<string> {
    const issuedAt = this.now();
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.keyId })
      .setIssuer(this.teamId)
      .setIssuedAt(Math.floor(issuedAt / 1000))
      .sign(this.key);
    this.current = { jwt, issuedAt };
    return jwt;
  }
}
