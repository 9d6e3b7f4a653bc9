import { unsubscribeHeaders } from './headers';

describe('unsubscribe headers', () => {
  it('name the link and ask for one-click POST (RFC 2369, RFC 8058)', () => {
    const url = 'https://api.example/v1/unsubscribe?r=acme%2Fu1&c=email&s=abc';
    expect(unsubscribeHeaders(url)).toEqual({ 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });

  it('are left out without a link', () => {
    expect(unsubscribeHeaders(undefined)).toEqual({});
  });
});
