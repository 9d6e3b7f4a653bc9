/**
 * One-time codes are stored only as HMAC-SHA256(server secret, salt ‖ code). The key keeps a stolen
 * table from being brute-forced offline (a million codes is nothing without it); the per-row salt
 * keeps two rows with the same code from looking alike.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SALT_BYTES = 16;
const CODE = /^\d{6}$/;

export function isWellFormedCode(code: string): boolean {
  return CODE.test(code);
}

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

export function hashCode(secret: string, salt: Buffer, code: string): Buffer {
  return createHmac('sha256', secret).update(salt).update(code, 'utf8').digest();
}

/** Constant-time comparison, so response timing says nothing about how close a guess was. */
export function codeMatches(secret: string, salt: Buffer, code: string, storedHash: Buffer): boolean {
  const candidate = hashCode(secret, salt, code);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
