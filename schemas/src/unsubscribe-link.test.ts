import { createHmac } from 'node:crypto';
import { unsubscribeUrl, verifyUnsubscribe } from './unsubscribe-link';

describe('unsubscribe links', () => {
  it('carry the recipient and channel with a signature only the secret can make', () => {
    const url = new URL(unsubscribeUrl('https://n.example/unsub', 'k1', 'acme/u 1', 'email'));
    expect(url.searchParams.get('r')).toBe('acme/u 1');
    expect(url.searchParams.get('c')).toBe('email');
    const s = url.searchParams.get('s') ?? '';
    expect(verifyUnsubscribe('k1', 'acme/u 1', 'email', s)).toBe(true);
    expect(verifyUnsubscribe('k1', 'acme/u 2', 'email', s)).toBe(false);
    expect(verifyUnsubscribe('k1', 'acme/u 1', 'sms', s)).toBe(false);
    expect(verifyUnsubscribe('k2', 'acme/u 1', 'email', s)).toBe(false);
  });

  it('are unsigned without a secret, and nothing verifies under an empty secret', () => {
    const url = new URL(unsubscribeUrl('https://n.example/unsub?x=1', '', 'acme/u1', 'email'));
    expect(url.searchParams.has('s')).toBe(false);
    expect(url.searchParams.get('x')).toBe('1');
    const emptyKeySignature = createHmac('sha256', '').update('acme/u1\u0000email').digest('base64url');
    expect(verifyUnsubscribe('', 'acme/u1', 'email', emptyKeySignature)).toBe(false);
    expect(verifyUnsubscribe('', 'acme/u1', 'email', '')).toBe(false);
  });
});
