import { generateKeyPairSync, sign } from 'node:crypto';
import { sendGridPublicKey, verifySendGridSignature } from './sendgrid-events';

describe('SendGrid event webhook signatures', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const base64Der = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const body = '[{"event":"delivered","notification_id":"ntf_1"}]\r\n';
  const timestamp = '1700000000';
  const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');

  it('accepts a signature over timestamp + raw body with the key as SendGrid shows it (base64 DER)', () => {
    expect(verifySendGridSignature(sendGridPublicKey(base64Der), timestamp, body, signature)).toBe(true);
  });

  it('accepts the key as PEM too', () => {
    expect(
      verifySendGridSignature(sendGridPublicKey(publicKey.export({ format: 'pem', type: 'spki' }).toString()), timestamp, body, signature),
    ).toBe(true);
  });

  it('refuses a changed body, another timestamp, garbage and another key', () => {
    const key = sendGridPublicKey(base64Der);
    expect(verifySendGridSignature(key, timestamp, body.replace('delivered', 'bounce'), signature)).toBe(false);
    expect(verifySendGridSignature(key, '1700000001', body, signature)).toBe(false);
    expect(verifySendGridSignature(key, timestamp, body, 'not-a-signature')).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(verifySendGridSignature(other, timestamp, body, signature)).toBe(false);
  });
});
