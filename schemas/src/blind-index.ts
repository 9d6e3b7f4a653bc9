/**
 * A blind index: the keyed HMAC-SHA256 of a value, stored beside the value's ciphertext so the code
 * can find a row by the value (an opt-out by phone number, a device by its token) without the
 * database holding the value in clear. The purpose is part of the input, so the index of a phone
 * number in one column cannot be matched against another column's. Values are compared as given:
 * callers index the normalised form (E.164, a lower-cased address).
 */
import { createHmac } from 'node:crypto';

export class BlindIndex {
  constructor(private readonly key: string) {
    if (key.length < 32) throw new Error('a blind index key must be at least 32 characters');
  }

  of(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(value).digest('base64url');
  }
}
