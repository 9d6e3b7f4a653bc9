/**
 * User, operator and platform tokens, verified by `jose`: the algorithm is pinned per key source
 * (HS256 for the installation's own secrets, asymmetric algorithms for an identity provider's JWKS,
 * so an HS256 token can never be checked against a public key), `exp` is required, `nbf`, `iss` and
 * `aud` are checked when configured, with a small clock skew.
 *
 * Keys rotate by `kid`: the installation holds several HS256 secrets at once (JWT_KEYS), tokens name
 * theirs in the header, and a token without `kid` is tried against the secrets in order, so tokens
 * issued before kids existed keep working until they expire. With JWT_JWKS_URL, an OIDC provider's
 * RS256/ES256/PS256/EdDSA tokens are accepted too; its key set is fetched and cached by jose, and
 * refetched when a token names a kid it has not seen (the provider rotated).
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { InvalidTokenError, roleOf, type VerifiedClaims } from './jwt';

export interface HmacKey {
  kid: string;
  secret: string;
}

export interface TokenSettings {
  /** The installation's HS256 secrets; the first one signs (see signUserToken). */
  keys: HmacKey[];
  /** Expected `iss`; unchecked when unset. */
  issuer?: string | undefined;
  /** Expected `aud` (one of the token's); unchecked when unset. */
  audience?: string | undefined;
  /** An identity provider's JSON Web Key Set, for tokens it issues. */
  jwksUrl?: string | undefined;
  /** The claim that names the tenant (`tenant` unless the provider puts it elsewhere). */
  tenantClaim?: string | undefined;
}

const SKEW_SECONDS = 30;

/** The identity provider's keys could not be fetched; the caller answers 503 and the client retries. */
export class TokenKeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the identity provider's keys cannot be fetched", { cause });
  }
}
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

export class TokenVerifier {
  private readonly secrets: Array<{ kid: string; key: Uint8Array }>;
  private readonly jwks: JWTVerifyGetKey | undefined;
  private readonly tenantClaim: string;

  constructor(private readonly settings: TokenSettings) {
    if (settings.keys.length === 0 && !settings.jwksUrl) throw new Error('tokens need at least one HS256 key or a JWKS URL');
    this.secrets = settings.keys.map((k) => ({ kid: k.kid, key: new TextEncoder().encode(k.secret) }));
    this.jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
    this.tenantClaim = settings.tenantClaim ?? 'tenant';
  }

  /** Whether `secret` is one of the token secrets (another secret must never reuse one). */
  usesSecret(secret: string): boolean {
    return this.settings.keys.some((k) => k.secret === secret);
  }

  /** The claims of a valid token; InvalidTokenError (with a reason fit for a 401) otherwise. */
  async verify(token: string): Promise<VerifiedClaims> {
    let header: { alg?: string; kid?: string };
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed token');
    }
    const payload = header.alg === 'HS256' ? await this.verifyHmac(token, header.kid) : await this.verifyJwks(token, header.alg);
    const tenant = payload[this.tenantClaim];
    if (typeof payload.sub !== 'string' || payload.sub === '' || typeof tenant !== 'string' || tenant === '') {
      throw new InvalidTokenError(`token lacks sub or ${this.tenantClaim}`);
    }
    return { tenant, userId: payload.sub, role: roleOf(payload.role), acceptedUntilMs: ((payload.exp as number) + SKEW_SECONDS) * 1000 };
  }

  private options(algorithms: string[]) {
    return {
      algorithms,
      clockTolerance: SKEW_SECONDS,
      requiredClaims: ['exp'],
      ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      ...(this.settings.audience ? { audience: this.settings.audience } : {}),
    };
  }

  private async verifyHmac(token: string, kid: string | undefined): Promise<JWTPayload> {
    const candidates = kid === undefined ? this.secrets : this.secrets.filter((s) => s.kid === kid);
    if (candidates.length === 0) throw new InvalidTokenError(kid === undefined ? 'unsupported algorithm' : `unknown key id ${kid}`);
    let last: unknown;
    for (const candidate of candidates) {
      try {
        return (await jwtVerify(token, candidate.key, this.options(['HS256']))).payload;
      } catch (error) {
        last = error;
        // Only a signature mismatch means another of the secrets may be the one; anything else is final.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw invalid(last);
  }

  private async verifyJwks(token: string, alg: string | undefined): Promise<JWTPayload> {
    if (!this.jwks || alg === undefined || !ASYMMETRIC.includes(alg)) throw new InvalidTokenError('unsupported algorithm');
    try {
      return (await jwtVerify(token, this.jwks, this.options(ASYMMETRIC))).payload;
    } catch (error) {
      // The provider's key set could not be fetched: not the token's fault, so not a 401.
      if (keysUnavailable(error)) throw new TokenKeysUnavailableError(error);
      throw invalid(error);
    }
  }
}

/**
 * The key set could not be had: a timeout, a network error, a non-200 answer (jose's generic error)
 * or a malformed set. Everything else jose says is about the token.
 */
function keysUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}

/** jose's reasons, in the words the API has always answered with. */
function invalid(error: unknown): InvalidTokenError {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new InvalidTokenError('token not yet valid');
    if (error.claim === 'exp') return new InvalidTokenError('token lacks exp');
    return new InvalidTokenError(`token ${error.claim} is not accepted`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidTokenError('bad signature');
  if (error instanceof errors.JWKSNoMatchingKey) return new InvalidTokenError('no key of the identity provider matches the token');
  if (error instanceof errors.JOSEError) return new InvalidTokenError(error.message);
  return new InvalidTokenError('invalid token');
}
