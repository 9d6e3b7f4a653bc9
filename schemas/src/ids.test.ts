import { intentId, notificationId, recipientKey, splitRecipientKey } from './ids';

describe('deterministic ids', () => {
  it('gives the same notification id for the same event, recipient and channel every time', () => {
    expect(notificationId('evt-1', 'acme/u1', 'email')).toBe(notificationId('evt-1', 'acme/u1', 'email'));
    expect(intentId('evt-1', 'acme/u1')).toBe(intentId('evt-1', 'acme/u1'));
  });

  it('has a stable format: a prefix and 26 base64url characters', () => {
    expect(notificationId('evt-1', 'acme/u1', 'email')).toMatch(/^ntf_[A-Za-z0-9_-]{26}$/);
    expect(intentId('evt-1', 'acme/u1')).toMatch(/^int_[A-Za-z0-9_-]{26}$/);
  });

  it('differs when any part differs', () => {
    const ids = [
      notificationId('evt-1', 'acme/u1', 'email'),
      notificationId('evt-2', 'acme/u1', 'email'),
      notificationId('evt-1', 'acme/u2', 'email'),
      notificationId('evt-1', 'acme/u1', 'sms'),
      notificationId('evt-1', 'globex/u1', 'email'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not collide when characters move across part boundaries', () => {
    expect(notificationId('ab', 'c', 'd')).not.toBe(notificationId('a', 'bc', 'd'));
    expect(intentId('evt-1a', 'b')).not.toBe(intentId('evt-1', 'ab'));
  });

  it('is distinct across many inputs', () => {
    const ids = new Set<string>();
    for (let e = 0; e < 50; e++) for (let u = 0; u < 20; u++) ids.add(notificationId(`evt-${e}`, `t/u${u}`, 'inapp'));
    expect(ids.size).toBe(1000);
  });

  it('keeps intent and notification ids apart even for the same inputs', () => {
    expect(intentId('e', 'r')).not.toBe(notificationId('e', 'r', ''));
  });
});

describe('recipient keys', () => {
  it('joins tenant and user with a slash and splits back at the first slash', () => {
    expect(recipientKey('acme', 'u1')).toBe('acme/u1');
    expect(splitRecipientKey('acme/u1')).toEqual({ tenant: 'acme', userId: 'u1' });
    expect(splitRecipientKey('acme/a/b')).toEqual({ tenant: 'acme', userId: 'a/b' });
  });

  it('refuses keys without a tenant', () => {
    expect(() => splitRecipientKey('u1')).toThrow('not a recipient key');
    expect(() => splitRecipientKey('/u1')).toThrow('not a recipient key');
  });
});
