/**
 * Phone verification against the real Postgres and Kafka: the code travels as a Dispatch on
 * notifications.dispatch.sms (read back here like the SMS worker would), is stored only hashed,
 * expires, allows a limited number of attempts and a limited number of starts.
 */
import { createHmac } from 'node:crypto';
import type { Dispatch, Recipient } from '@notify/schemas';
import type { TopicReader } from '../../../tests/support/topic-reader';
import { CODE_SECRET, newPhone, newUserId, recordsOf, startHarness, type Harness, type Reply, type ServedApp } from './preferences-harness';

jest.setTimeout(60_000);

let h: Harness;
let sms: TopicReader<Dispatch>;
let recipients: TopicReader<Recipient>;

beforeAll(async () => {
  h = await startHarness();
  [sms, recipients] = await Promise.all([
    h.reader<Dispatch>('notifications.dispatch.sms'),
    h.reader<Recipient>('notifications.recipients'),
  ]);
}, 120_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

const MINUTE = 60_000;
const key = (userId: string) => `${h.tenant}/${userId}`;
const start = (userId: string, target?: ServedApp): Promise<Reply> =>
  h.call(userId, 'POST', '/v1/contacts/phone/verification/start', undefined, target);
const confirm = (userId: string, code: unknown): Promise<Reply> =>
  h.call(userId, 'POST', '/v1/contacts/phone/verification/confirm', { code });

async function userWithPhone(phone = newPhone()): Promise<{ user: string; phone: string }> {
  const user = newUserId();
  const res = await h.call(user, 'PUT', '/v1/contacts/phone', { phone });
  expect(res.statusCode).toBe(200);
  return { user, phone };
}

/** The code in the n-th SMS (1-based) sent to the user, as the SMS worker would read it. */
async function codeOfSms(user: string, n: number): Promise<string> {
  const dispatches = await recordsOf(sms, key(user), n);
  return h.sealer.open((JSON.parse(dispatches[n - 1]!.payload) as { code_sealed: string }).code_sealed, key(user));
}

function another(code: string): string {
  return code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
}

describe('phone verification', () => {
  it('texts a code through the SMS channel and marks the phone verified when it comes back', async () => {
    const { user, phone } = await userWithPhone();
    const started = await start(user);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({
      status: 'code_sent',
      expires_at: new Date(h.clock.now + 10 * MINUTE).toISOString(),
      attempts_allowed: 5,
    });

    const [dispatch] = await recordsOf(sms, key(user), 1);
    expect(dispatch).toEqual(
      expect.objectContaining({
        channel: 'sms',
        address: phone,
        recipient: key(user),
        tenant: h.tenant,
        user_id: user,
        type: 'PHONE_VERIFICATION',
        template: 'phone_verification',
        priority: 'high',
        idempotency_key: dispatch!.notification_id,
        attempt: 0,
      }),
    );
    // The code travels sealed for the SMS worker: the record on the topic does not show it.
    const payload = JSON.parse(dispatch!.payload) as { code_sealed: string; code?: string };
    expect(payload.code).toBeUndefined();
    const code = h.sealer.open(payload.code_sealed, key(user));
    expect(code).toMatch(/^\d{6}$/);
    expect(dispatch!.payload).not.toContain(code);

    // Only a keyed hash is stored: neither the code nor an unkeyed hash of it is in the row.
    const row = await h.db
      .selectFrom('phone_verifications')
      .selectAll()
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.code_hash.toString('hex')).not.toContain(Buffer.from(code).toString('hex'));
    expect(row.code_hash.equals(createHmac('sha256', CODE_SECRET).update(row.salt).update(code).digest())).toBe(true);

    const confirmed = await confirm(user, code);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual(expect.objectContaining({ phone, phone_verified: true }));
    expect((await h.call(user, 'GET', '/v1/contacts')).json()).toEqual(confirmed.json());

    const records = await recordsOf(recipients, key(user), 2);
    expect(records[1]).toEqual(expect.objectContaining({ phone, phone_verified: true, updated_at: h.clock.now }));

    // The code is spent, and a verified number needs no new code.
    expect((await confirm(user, code)).statusCode).toBe(409);
    expect((await start(user)).json().error.code).toBe('already_verified');
  });

  it('counts wrong codes down and still accepts the right one within the attempts', async () => {
    const { user } = await userWithPhone();
    await start(user);
    const code = await codeOfSms(user, 1);
    const wrong = await confirm(user, another(code));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toEqual(expect.objectContaining({ code: 'invalid_code', attempts_left: 4 }));
    expect((await confirm(user, another(another(code)))).json().error.attempts_left).toBe(3);
    expect((await confirm(user, code)).statusCode).toBe(200);
  });

  it('locks the code after five wrong attempts, even against the right code', async () => {
    const { user } = await userWithPhone();
    await start(user);
    const code = await codeOfSms(user, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await confirm(user, another(code))).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 410]);
    const locked = await confirm(user, code);
    expect(locked.statusCode).toBe(410);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect((await h.call(user, 'GET', '/v1/contacts')).json().phone_verified).toBe(false);
  });

  it('refuses a code after ten minutes', async () => {
    const { user } = await userWithPhone();
    await start(user);
    const code = await codeOfSms(user, 1);
    h.clock.now += 10 * MINUTE;
    const expired = await confirm(user, code);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('code_expired');
    expect((await h.call(user, 'GET', '/v1/contacts')).json().phone_verified).toBe(false);
  });

  it('accepts only the newest code when a user starts again', async () => {
    const { user } = await userWithPhone();
    await start(user);
    await start(user);
    const [first, second] = [await codeOfSms(user, 1), await codeOfSms(user, 2)];
    const dispatches = await recordsOf(sms, key(user), 2);
    expect(dispatches[0]!.notification_id).not.toBe(dispatches[1]!.notification_id);
    if (first !== second) expect((await confirm(user, first)).statusCode).toBe(400);
    expect((await confirm(user, second)).statusCode).toBe(200);
  });

  it('rate limits starts per user, with Retry-After, and allows them again after the window', async () => {
    const { user } = await userWithPhone();
    for (let i = 0; i < 3; i += 1) {
      expect((await start(user)).statusCode).toBe(202);
      h.clock.now += MINUTE;
    }
    const limited = await start(user);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('too_many_requests');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(15 * 60 - 3 * 60);
    h.clock.now += retryAfter * 1000;
    expect((await start(user)).statusCode).toBe(202);
    // Four SMS in all: the refused start sent nothing.
    await recordsOf(sms, key(user), 4);
    expect(sms.records.filter((r) => r.key === key(user))).toHaveLength(4);
  });

  it('rate limits starts per phone number across users', async () => {
    const phone = newPhone();
    const a = await userWithPhone(phone);
    const b = await userWithPhone(phone);
    for (let i = 0; i < 3; i += 1) expect((await start(a.user)).statusCode).toBe(202);
    const limited = await start(b.user);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('forgets a pending code when the number changes, and a new number is unverified', async () => {
    const { user } = await userWithPhone();
    await start(user);
    const code = await codeOfSms(user, 1);
    const newNumber = newPhone();
    await h.call(user, 'PUT', '/v1/contacts/phone', { phone: newNumber });
    const stale = await confirm(user, code);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('no_pending_verification');

    await start(user);
    expect((await confirm(user, await codeOfSms(user, 2))).json().phone_verified).toBe(true);
    const changed = await h.call(user, 'PUT', '/v1/contacts/phone', { phone: newPhone() });
    expect(changed.json().phone_verified).toBe(false);
  });

  it('refuses to start without a phone number, and refuses malformed codes without spending attempts', async () => {
    const user = newUserId();
    const noPhone = await start(user);
    expect(noPhone.statusCode).toBe(409);
    expect(noPhone.json().error.code).toBe('no_phone');

    const { user: other } = await userWithPhone();
    await start(other);
    for (const bad of ['12345', '1234567', 'abcdef', 123456]) {
      const res = await confirm(other, bad);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
    }
    expect((await confirm(other, another(await codeOfSms(other, 1)))).json().error.attempts_left).toBe(4);
  });

  it('stores no code and sends nothing when the SMS cannot be published', async () => {
    const { user } = await userWithPhone();
    const failing = await h.appWithFailingProducer();
    const res = await start(user, failing);
    expect(res.statusCode).toBe(503);
    const rows = await h.db
      .selectFrom('phone_verifications')
      .select('id')
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .execute();
    expect(rows).toEqual([]);
    expect((await confirm(user, '000000')).statusCode).toBe(409);
    // Nothing reached the SMS topic either: the first SMS of this user is the next successful start's.
    expect((await start(user)).statusCode).toBe(202);
    await recordsOf(sms, key(user), 1);
    const ids = await h.db
      .selectFrom('phone_verifications')
      .select('id')
      .where('tenant', '=', h.tenant)
      .where('user_id', '=', user)
      .execute();
    expect(sms.records.filter((r) => r.key === key(user)).map((r) => r.value.event_id)).toEqual(
      ids.map((r) => `phone-verification:${r.id}`),
    );
  });

  it('keeps the phone unverified when the verified record cannot be published', async () => {
    const { user } = await userWithPhone();
    await start(user);
    const code = await codeOfSms(user, 1);
    const failing = await h.appWithFailingProducer();
    const res = await h.call(user, 'POST', '/v1/contacts/phone/verification/confirm', { code }, failing);
    expect(res.statusCode).toBe(503);
    expect((await h.call(user, 'GET', '/v1/contacts')).json().phone_verified).toBe(false);
    // The code was not consumed by the failed attempt and still works.
    expect((await confirm(user, code)).json().phone_verified).toBe(true);
  });
});
