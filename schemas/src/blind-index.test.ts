import { BlindIndex } from './blind-index';

describe('BlindIndex', () => {
  const index = new BlindIndex('k'.repeat(32));

  it('gives the same index for the same purpose and value, and another for another purpose, value or key', () => {
    const phone = index.of('opt_out.address', '+15551234567');
    expect(index.of('opt_out.address', '+15551234567')).toBe(phone);
    expect(index.of('device.token', '+15551234567')).not.toBe(phone);
    expect(index.of('opt_out.address', '+15551234568')).not.toBe(phone);
    expect(new BlindIndex('j'.repeat(32)).of('opt_out.address', '+15551234567')).not.toBe(phone);
    expect(phone).not.toContain('5551234567');
  });

  it('refuses a short key', () => {
    expect(() => new BlindIndex('short')).toThrow(/at least 32/);
  });
});
