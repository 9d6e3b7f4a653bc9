import { unsubscribeUrl, verifyUnsubscribe } from './unsubscribe';

describe('unsubscribe links', () => {
  it('carry the recipient and channel with a signature only the secret can make', () => {
    const url = new URL(unsubscribeUrl('https://n.example/unsub', 'k1', 'acme/u 1', 'email'));
    expect(url.searchParams.get('r')).toBe('acme/u 1');
    expect(url.searchParams.get('c')).toBe('email');
    const s = url.searchParams.get('s') ?? '';
    expect(verifyUnsubscribe('k1', 'acme/u 1', 'email', s)).toBe(true);
    expect(verifyUnsubscribe('k1', 'acme/u 2', 'email', s)).toBe(false);
    expect(verifyUnsubscribe('k2', 'acme/u 1', 'email', s)).toBe(false);
  });
});
