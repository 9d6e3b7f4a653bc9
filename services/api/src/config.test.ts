import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PERSONAL_DATA_ENV } from '../../../tests/support/test-keys';
import { loadConfig } from './config';

const SEALING_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

describe('api config', () => {
  it('requires a JWT secret of at least 32 characters', () => {
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS })).toThrow(
      /JWT_SECRET: is required/,
    );
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
    expect(
      loadConfig({ ...TEST_PERSONAL_DATA_ENV, JWT_SECRET: 'x'.repeat(32), CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS }).HTTP_PORT,
    ).toBe(8003);
  });

  it('requires a code hash secret for phone verification', () => {
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, JWT_SECRET: 'x'.repeat(32) })).toThrow(/CODE_HASH_SECRET: is required/);
  });

  it('reads rotating token keys from JWT_KEYS and a mounted file, with JWT_SECRET as the key `default`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-config-'));
    try {
      const file = join(dir, 'jwt-keys');
      writeFileSync(file, `# mounted\nk-file:${'f'.repeat(32)}\n`);
      const config = loadConfig({
        ...TEST_PERSONAL_DATA_ENV,
        CODE_HASH_SECRET: 'y'.repeat(32),
        SEALING_KEYS,
        JWT_KEYS: `k-new:${'n'.repeat(32)},k-old:${'o'.repeat(32)}`,
        JWT_KEYS_FILE: file,
        JWT_SECRET: 'x'.repeat(32),
      });
      expect(config.tokenKeys.map((k) => k.kid)).toEqual(['k-new', 'k-old', 'k-file', 'default']);
      expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS, JWT_KEYS: 'k1:short' })).toThrow(
        /JWT_KEYS: key k1: the secret must be at least 32 bytes/,
      );
      expect(() =>
        loadConfig({ ...TEST_PERSONAL_DATA_ENV, CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS, JWT_KEYS_FILE: join(dir, 'missing') }),
      ).toThrow(/JWT_KEYS_FILE: cannot be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts an identity provider's JWKS URL alone", () => {
    const config = loadConfig({
      ...TEST_PERSONAL_DATA_ENV,
      CODE_HASH_SECRET: 'y'.repeat(32),
      SEALING_KEYS,
      JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(config.tokenKeys).toEqual([]);
    expect(() =>
      loadConfig({ ...TEST_PERSONAL_DATA_ENV, CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS, JWT_JWKS_URL: 'not a url' }),
    ).toThrow(/JWT_JWKS_URL/);
  });

  it('requires sealing keys for one-time codes, each 32 bytes', () => {
    const base = { JWT_SECRET: 'x'.repeat(32), CODE_HASH_SECRET: 'y'.repeat(32) };
    expect(() => loadConfig(base)).toThrow(/SEALING_KEYS/);
    expect(() => loadConfig({ ...TEST_PERSONAL_DATA_ENV, ...base, SEALING_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /SEALING_KEYS: sealing key k1: must be 32 bytes/,
    );
    expect(loadConfig({ ...TEST_PERSONAL_DATA_ENV, ...base, SEALING_KEYS }).SEALING_KEYS.map((k) => k.kid)).toEqual(['k1']);
  });
  it('requires the personal-data keys, from the environment or from mounted files', () => {
    const base = { JWT_SECRET: 'x'.repeat(32), CODE_HASH_SECRET: 'y'.repeat(32), SEALING_KEYS };
    expect(() => loadConfig(base)).toThrow(/DATA_KEYS: .*\n.*BLIND_INDEX_KEY: is required/s);
    const dir = mkdtempSync(join(tmpdir(), 'api-config-'));
    try {
      writeFileSync(join(dir, 'data-keys'), `${TEST_PERSONAL_DATA_ENV.DATA_KEYS}\n`);
      writeFileSync(join(dir, 'blind-index-key'), TEST_PERSONAL_DATA_ENV.BLIND_INDEX_KEY);
      const config = loadConfig({ ...base, DATA_KEYS_FILE: join(dir, 'data-keys'), BLIND_INDEX_KEY_FILE: join(dir, 'blind-index-key') });
      expect(config.DATA_KEYS.map((k) => k.kid)).toEqual(['test']);
      expect(config.BLIND_INDEX_KEY).toBe(TEST_PERSONAL_DATA_ENV.BLIND_INDEX_KEY);
      expect(() => loadConfig({ ...base, DATA_KEYS_FILE: join(dir, 'missing'), BLIND_INDEX_KEY: 'b'.repeat(32) })).toThrow(
        /DATA_KEYS_FILE: cannot be read/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
