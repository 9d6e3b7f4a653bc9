/**
 * The claims of user tokens and how the installation issues its own: HS256 JWTs whose claims name
 * the tenant (`tenant`) and the user (`sub`), with `kid`, `iss` and `aud` when the installation uses
 * them. Operators carry `role: "operator"`, the installation's own administrators `role: "platform"`.
 * Verification is token-verifier.ts (jose); issuing is this small synchronous signer, which the demo,
 * the console's development login and the tests use; production users usually get tokens from the
 * identity provider instead.
 */
import { createHmac } from 'node:crypto';

export interface UserClaims {
  tenant: string;
  userId: string;
  /** operator: administers its own tenant; platform: runs the installation, across tenants (audited). */
  role: Role;
}

export type Role = 'user' | 'operator' | 'platform';
const ROLES: ReadonlySet<string> = new Set<Role>(['user', 'operator', 'platform']);

/** Claims that passed verification, with the moment they stop being accepted (expiry plus skew). */
export interface VerifiedClaims extends UserClaims {
  acceptedUntilMs: number;
}

export class InvalidTokenError extends Error {}

/** Anything but a known role (an identity provider's own role names, a typo) is a plain user: least privilege. */
export function roleOf(claim: unknown): Role {
  return typeof claim === 'string' && ROLES.has(claim) ? (claim as Role) : 'user';
}

export interface SignOptions {
  /** The key id the verifier knows this secret by (JWT_KEYS). */
  kid?: string;
  issuer?: string;
  audience?: string;
  nowSeconds?: number;
  /** Not valid before this many seconds from now. */
  notBeforeSeconds?: number;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signUserToken(secret: string, claims: UserClaims, ttlSeconds: number, options: SignOptions = {}): string {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) }));
  const payload = b64url(
    JSON.stringify({
      sub: claims.userId,
      tenant: claims.tenant,
      role: claims.role,
      iat: now,
      exp: now + ttlSeconds,
      ...(options.notBeforeSeconds !== undefined ? { nbf: now + options.notBeforeSeconds } : {}),
      ...(options.issuer ? { iss: options.issuer } : {}),
      ...(options.audience ? { aud: options.audience } : {}),
    }),
  );
  return `${header}.${payload}.${b64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest())}`;
}
