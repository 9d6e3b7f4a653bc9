import { parseEndpoints } from './endpoints';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const OLD_SECRET = `whsec_${Buffer.from('fedcba9876543210fedcba9876543210').toString('base64')}`;

describe('parseEndpoints', () => {
  it('reads one endpoint per tenant with its secrets, in rotation order', () => {
    const book = parseEndpoints(
      JSON.stringify({
        default: { url: 'https://hooks.example.com/in', secrets: [SECRET] },
        acme: { url: 'http://127.0.0.1:9000/acme', secrets: [SECRET, OLD_SECRET] },
      }),
    );
    expect([...book.keys()]).toEqual(['default', 'acme']);
    expect(book.get('acme')).toEqual({ url: 'http://127.0.0.1:9000/acme', secrets: [SECRET, OLD_SECRET] });
  });

  it('accepts an empty object', () => {
    expect(parseEndpoints('{}').size).toBe(0);
  });

  it.each([
    ['[]', 'JSON object keyed by tenant'],
    ['null', 'JSON object keyed by tenant'],
    ['"x"', 'JSON object keyed by tenant'],
    ['{"acme": null}', 'acme.url must be a string'],
    ['{"acme": {"secrets": []}}', 'acme.url must be a string'],
    [`{"acme": {"url": "https://x", "secrets": []}}`, 'acme.secrets must be a non-empty array'],
    [`{"acme": {"url": "https://x", "secrets": "${SECRET}"}}`, 'acme.secrets must be a non-empty array'],
    [`{"acme": {"url": "https://x", "secrets": [1]}}`, 'acme.secrets must be a non-empty array'],
    [`{"acme": {"url": "https://x", "secrets": ["plain-secret"]}}`, 'start with whsec_'],
    [`{"acme": {"url": "https://x", "secrets": ["whsec_c2hvcnQ="]}}`, 'at least 24 bytes'],
  ])('refuses %s', (json, message) => {
    expect(() => parseEndpoints(json)).toThrow(message);
  });

  it('refuses a URL that does not parse', () => {
    expect(() => parseEndpoints(JSON.stringify({ acme: { url: 'not a url', secrets: [SECRET] } }))).toThrow(/Invalid URL/);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseEndpoints('{url:')).toThrow(SyntaxError);
  });
});
