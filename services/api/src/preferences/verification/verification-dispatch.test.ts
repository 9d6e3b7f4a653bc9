import { verificationDispatch } from './verification-dispatch';

const base = { verificationId: 'v-1', tenant: 'acme', userId: 'u-1', phone: '+447700900123', locale: 'en-GB', code: '004211', expiresInMinutes: 10, now: 1_700_000_000_000 };

describe('verificationDispatch', () => {
  it('is an SMS to the phone with the code, high priority', () => {
    const d = verificationDispatch(base);
    expect(d).toEqual(expect.objectContaining({
      channel: 'sms', address: '+447700900123', recipient: 'acme/u-1', user_id: 'u-1', template: 'phone_verification',
      type: 'PHONE_VERIFICATION', priority: 'high', locale: 'en-GB', idempotency_key: d.notification_id,
    }));
    expect(JSON.parse(d.payload)).toEqual({ code: '004211', expires_in_minutes: 10 });
  });

  it('has one notification id per verification attempt', () => {
    expect(verificationDispatch(base).notification_id).toBe(verificationDispatch({ ...base, now: base.now + 5 }).notification_id);
    expect(verificationDispatch(base).notification_id).not.toBe(verificationDispatch({ ...base, verificationId: 'v-2' }).notification_id);
  });
});
