import { randomBytes } from 'node:crypto';
import { parseSealingKeys, Sealer } from '@notify/schemas';
import { verificationDispatch as build } from './verification-dispatch';

const sealer = new Sealer(parseSealingKeys(`k1:${randomBytes(32).toString('base64')}`));
const verificationDispatch = (m: Parameters<typeof build>[0]) => build(m, sealer);

const base = {
  verificationId: 'v-1',
  tenant: 'acme',
  userId: 'u-1',
  phone: '+447700900123',
  locale: 'en-GB',
  code: '004211',
  expiresInMinutes: 10,
  now: 1_700_000_000_000,
};

describe('verificationDispatch', () => {
  it('is an SMS to the phone with the code, high priority', () => {
    const d = verificationDispatch(base);
    expect(d).toEqual(
      expect.objectContaining({
        channel: 'sms',
        address: '+447700900123',
        recipient: 'acme/u-1',
        user_id: 'u-1',
        template: 'phone_verification',
        type: 'PHONE_VERIFICATION',
        priority: 'high',
        locale: 'en-GB',
        idempotency_key: d.notification_id,
      }),
    );
    const payload = JSON.parse(d.payload) as { code_sealed: string };
    expect(payload).toEqual({ code_sealed: expect.stringMatching(/^sealed\.v1\.k1\./), expires_in_minutes: 10 });
    expect(d.payload).not.toContain('004211');
    expect(sealer.open(payload.code_sealed, 'acme/u-1')).toBe('004211');
  });

  it('has one notification id per verification attempt', () => {
    expect(verificationDispatch(base).notification_id).toBe(verificationDispatch({ ...base, now: base.now + 5 }).notification_id);
    expect(verificationDispatch(base).notification_id).not.toBe(verificationDispatch({ ...base, verificationId: 'v-2' }).notification_id);
  });
});
