import { loadConfig } from './config';

describe('api config', () => {
  it('requires a JWT secret of at least 32 characters', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET: is required/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32), CODE_HASH_SECRET: 'y'.repeat(32) }).HTTP_PORT).toBe(8003);
  });

  it('requires a code hash secret for phone verification', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32) })).toThrow(/CODE_HASH_SECRET: is required/);
  });
});
