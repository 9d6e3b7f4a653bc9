import { createHmac, randomBytes } from 'node:crypto';
import { secretKey, sign, signatureHeader, verify } from './signature';

const secretOf = (bytes: Buffer) => `whsec_${bytes.toString('base64')}`;
const SECRET = secretOf(Buffer.from('0123456789abcdef0123456789abcdef'));
const OTHER = secretOf(Buffer.from('fedcba9876543210fedcba9876543210'));
const NOW = 1_700_000_000;
const BODY = '{"type":"notification.ORDER_FILLED","data":{"title":"Order filled: AAPL"}}';

describe('webhook signatures', () => {
  it('matches an HMAC-SHA256 computed independently over id.timestamp.body with the decoded key', () => {
    const expected = createHmac('sha256', Buffer.from('0123456789abcdef0123456789abcdef'))
      .update(`ntf_abc.${NOW}.${BODY}`)
      .digest('base64');
    expect(sign(SECRET, 'ntf_abc', NOW, BODY)).toBe(`v1,${expected}`);
  });

  it('reproduces the Standard Webhooks reference vector', () => {
    expect(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies what it signed', () => {
    const headers = { id: 'ntf_abc', timestamp: String(NOW), signature: sign(SECRET, 'ntf_abc', NOW, BODY) };
    expect(verify(SECRET, headers, BODY, 300, NOW)).toBe(true);
  });

  it('verifies with either secret while two are in rotation', () => {
    const signature = signatureHeader([SECRET, OTHER], 'ntf_abc', NOW, BODY);
    expect(signature.split(' ')).toHaveLength(2);
    const headers = { id: 'ntf_abc', timestamp: String(NOW), signature };
    expect(verify(SECRET, headers, BODY, 300, NOW)).toBe(true);
    expect(verify(OTHER, headers, BODY, 300, NOW)).toBe(true);
    expect(verify(secretOf(randomBytes(32)), headers, BODY, 300, NOW)).toBe(false);
  });

  it('fails for a tampered body, a different id or a different timestamp', () => {
    const signature = sign(SECRET, 'ntf_abc', NOW, BODY);
    expect(verify(SECRET, { id: 'ntf_abc', timestamp: String(NOW), signature }, BODY.replace('AAPL', 'MSFT'), 300, NOW)).toBe(false);
    expect(verify(SECRET, { id: 'ntf_abd', timestamp: String(NOW), signature }, BODY, 300, NOW)).toBe(false);
    expect(verify(SECRET, { id: 'ntf_abc', timestamp: String(NOW + 1), signature }, BODY, 300, NOW)).toBe(false);
  });

  it('fails for a timestamp outside the tolerance, even with a correct signature', () => {
    const old = NOW - 301;
    const headers = { id: 'ntf_abc', timestamp: String(old), signature: sign(SECRET, 'ntf_abc', old, BODY) };
    expect(verify(SECRET, headers, BODY, 300, NOW)).toBe(false);
    const future = NOW + 301;
    expect(
      verify(SECRET, { id: 'ntf_abc', timestamp: String(future), signature: sign(SECRET, 'ntf_abc', future, BODY) }, BODY, 300, NOW),
    ).toBe(false);
    const edge = NOW - 300;
    expect(verify(SECRET, { id: 'ntf_abc', timestamp: String(edge), signature: sign(SECRET, 'ntf_abc', edge, BODY) }, BODY, 300, NOW)).toBe(
      true,
    );
  });

  it('fails for a timestamp that is not an integer', () => {
    expect(verify(SECRET, { id: 'i', timestamp: 'soon', signature: sign(SECRET, 'i', NOW, BODY) }, BODY, 300, NOW)).toBe(false);
  });

  it('ignores other signature versions and malformed parts', () => {
    const mac = sign(SECRET, 'i', NOW, BODY).slice(3);
    expect(verify(SECRET, { id: 'i', timestamp: String(NOW), signature: `v2,${mac}` }, BODY, 300, NOW)).toBe(false);
    expect(verify(SECRET, { id: 'i', timestamp: String(NOW), signature: 'v1, garbage v1' }, BODY, 300, NOW)).toBe(false);
    expect(verify(SECRET, { id: 'i', timestamp: String(NOW), signature: `v2,${mac} v1,${mac}` }, BODY, 300, NOW)).toBe(true);
  });

  it('requires the whsec_ prefix and a key of at least 24 bytes', () => {
    expect(() => secretKey('0123456789abcdef0123456789abcdef')).toThrow('start with whsec_');
    expect(() => secretKey(secretOf(randomBytes(23)))).toThrow('at least 24 bytes');
    expect(secretKey(secretOf(Buffer.alloc(24, 7)))).toEqual(Buffer.alloc(24, 7));
  });
});
