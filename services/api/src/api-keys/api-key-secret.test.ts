import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey, KEY_PREFIX } from './api-key-secret';

describe('generateApiKey', () => {
  it('makes a prefixed high-entropy key whose stored form is its SHA-256 digest', () => {
    const k = generateApiKey();
    expect(k.key.startsWith(KEY_PREFIX)).toBe(true);
    expect(Buffer.from(k.key.slice(KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(k.hash).toBe(createHash('sha256').update(k.key).digest('hex'));
    expect(k.hash).toBe(hashApiKey(k.key));
    expect(k.key.startsWith(k.prefix)).toBe(true);
    expect(k.prefix.length).toBeLessThan(12);
  });

  it('gives different keys and ids each time', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.id).not.toBe(b.id);
  });
});
