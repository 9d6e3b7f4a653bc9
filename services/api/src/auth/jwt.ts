/**
 * User tokens: HS256 JWTs whose claims name the tenant (`tenant`) and the user (`sub`). Verification
 * checks the algorithm, signature (constant time), expiry and not-before, with a small clock skew.
 * Operators carry `role: "operator"`, the installation's own administrators `role: "platform"`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

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

const SKEW_SECONDS = 30;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function hmac(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function signUserToken(secret: string, claims: UserClaims, ttlSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ sub: claims.userId, tenant: claims.tenant, role: claims.role, iat: nowSeconds, exp: nowSeconds + ttlSeconds }));
  return `${header}.${payload}.${b64url(hmac(secret, `${header}.${payload}`))}`;
}

function parseJson(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidTokenError('malformed token');
}

/** Anything but a known role (an identity provider's own role names, a typo) is a plain user: least privilege. */
function roleOf(claim: unknown): Role {
  return typeof claim === 'string' && ROLES.has(claim) ? (claim as Role) : 'user';
}

export function verifyUserToken(secret: string, token: string, nowSeconds = Math.floor(Date.now() / 1000)): VerifiedClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('malformed token');
  const [header, payload, signature] = parts as [string, string, string];
  if (parseJson(header).alg !== 'HS256') throw new InvalidTokenError('unsupported algorithm');
  const expected = hmac(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('bad signature');
  const claims = parseJson(payload);
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS < nowSeconds) throw new InvalidTokenError('token expired');
  if (typeof claims.nbf === 'number' && claims.nbf - SKEW_SECONDS > nowSeconds) throw new InvalidTokenError('token not yet valid');
  if (typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.tenant !== 'string' || claims.tenant === '') {
    throw new InvalidTokenError('token lacks sub or tenant');
  }
  return { tenant: claims.tenant, userId: claims.sub, role: roleOf(claims.role), acceptedUntilMs: (claims.exp + SKEW_SECONDS) * 1000 };
}
