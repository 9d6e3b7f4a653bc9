import { randomBytes } from 'node:crypto';
import { ContactCipher } from './contact-cipher';

const INDEX_KEY = 'k'.repeat(32);
const keyA = { kid: 'a', key: randomBytes(32) };
const keyB = { kid: 'b', key: randomBytes(32) };

describe('ContactCipher', () => {
  const cipher = new ContactCipher([keyA], INDEX_KEY);

  it('opens what it sealed only for the same column and row', () => {
    const sealed = cipher.seal('user_contacts.email', 't/u1', 'ada@example.com');
    expect(sealed).toMatch(/^sealed\.v1\.a\./);
    expect(sealed).not.toContain('ada');
    expect(cipher.open('user_contacts.email', 't/u1', sealed)).toBe('ada@example.com');
    expect(() => cipher.open('user_contacts.email', 't/u2', sealed)).toThrow(/does not open/);
    expect(() => cipher.open('user_contacts.phone', 't/u1', sealed)).toThrow(/does not open/);
  });

  it('reads a value written before encryption as it is', () => {
    expect(cipher.open('user_contacts.phone', 't/u1', '+15550001111')).toBe('+15550001111');
    expect(cipher.openJson('user_contacts.chat', 't/u1', { slack: 'https://hooks.slack.com/x' })).toEqual({
      slack: 'https://hooks.slack.com/x',
    });
    expect(cipher.openNullable('user_contacts.phone', 't/u1', null)).toBeNull();
  });

  it('seals JSON values as one string', () => {
    const sealed = cipher.sealJson('devices.subscription', 't/u1', { p256dh: 'p', auth: 'a' });
    expect(typeof sealed).toBe('string');
    expect(cipher.openJson('devices.subscription', 't/u1', sealed)).toEqual({ p256dh: 'p', auth: 'a' });
  });

  it('indexes a value per column, the same under any data key', () => {
    const other = new ContactCipher([keyB], INDEX_KEY);
    expect(cipher.index('devices.token', 'tok')).toBe(other.index('devices.token', 'tok'));
    expect(cipher.index('devices.token', 'tok')).not.toBe(cipher.index('channel_opt_outs.address', 'tok'));
    expect(cipher.index('devices.token', 'tok')).not.toBe(new ContactCipher([keyA], 'x'.repeat(32)).index('devices.token', 'tok'));
  });

  it('tells values sealed with the first key from older and clear ones', () => {
    const ring = new ContactCipher([keyB, keyA], INDEX_KEY);
    const old = cipher.seal('channel_outbox.address', 'n1', '+15550001111');
    expect(ring.isCurrent(old)).toBe(false);
    expect(ring.open('channel_outbox.address', 'n1', old)).toBe('+15550001111');
    expect(ring.isCurrent(ring.seal('channel_outbox.address', 'n1', '+15550001111'))).toBe(true);
    expect(ring.isCurrent('+15550001111')).toBe(false);
  });

  it('opens the contact points of a raw row, opt-outs bound to their index', () => {
    const index = cipher.index('channel_opt_outs.address', '+15550001111');
    const row = { channel: 'sms', address: cipher.seal('channel_opt_outs.address', `sms/${index}`, '+15550001111'), address_index: index };
    expect(cipher.openRow('channel_opt_outs', row)).toEqual({ ...row, address: '+15550001111' });
    const device = { tenant: 't', user_id: 'u', token: cipher.seal('devices.token', 't/u', 'tok'), subscription: null };
    expect(cipher.openRow('devices', device)).toEqual({ ...device, token: 'tok' });
    expect(cipher.openRow('inbox', { body: 'x' })).toEqual({ body: 'x' });
  });
});
