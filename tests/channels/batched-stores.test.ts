/**
 * The channel stores against real Postgres, called the way WORKER_CONCURRENCY handlers call them: many
 * at once, so one turn's calls are written as one statement. Each caller must still get its own
 * answer, and a key claimed twice in one batch must not be sent twice.
 */
import { randomUUID } from 'node:crypto';
import { ClaimStore, MessageLog, OptOutStore } from '@notify/channel';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { makeDispatch } from '../support/dispatches';
import { testContactCipher } from '../support/test-contact-cipher';

jest.setTimeout(60_000);

describe('batched channel stores', () => {
  let db: Db;
  const run = randomUUID().slice(0, 8);
  const key = (name: string) => `${run}-${name}`;

  beforeAll(async () => {
    db = createDb(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/notifications', 4);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.deleteFrom('delivery_claims').where('idempotency_key', 'like', `${run}-%`).execute();
    await db.deleteFrom('channel_messages').where('notification_id', 'like', `${run}-%`).execute();
    const optOuts = new OptOutStore(db, testContactCipher());
    await optOuts.remove('sms', key('+15550001'));
    await optOuts.remove('voice', key('+15550002'));
    await db.destroy();
  });

  it('answers each of many concurrent claims, and a key claimed twice in one batch is claimed once', async () => {
    const claims = new ClaimStore(db);
    await claims.claim(key('sent-before'), 'n0', 'email');
    await claims.markSent(key('sent-before'), 'ref-0');
    await claims.claim(key('failed-before'), 'n1', 'email');
    await claims.markFailed(key('failed-before'));
    await claims.claim(key('crashed'), 'n2', 'email');

    const names = [...Array.from({ length: 40 }, (_, i) => `fresh-${i}`), 'twice', 'twice', 'sent-before', 'failed-before', 'crashed'];
    const outcomes = await Promise.all(names.map((name) => claims.claim(key(name), `n-${name}`, 'email')));
    const byName = names.map((name, i) => [name, outcomes[i]] as const);
    expect(byName.filter(([n]) => n.startsWith('fresh-')).every(([, o]) => o?.kind === 'claimed')).toBe(true);
    expect(byName.filter(([n]) => n === 'twice').map(([, o]) => o?.kind)).toEqual(['claimed', 'in_doubt']);
    expect(byName.find(([n]) => n === 'sent-before')?.[1]).toEqual({ kind: 'sent', providerRef: 'ref-0' });
    expect(byName.find(([n]) => n === 'failed-before')?.[1]).toEqual({ kind: 'failed' });
    expect(byName.find(([n]) => n === 'crashed')?.[1]).toEqual({ kind: 'in_doubt', attempts: 2 });
  });

  it('marks many claims sent, failed or released at once, each with its own provider reference', async () => {
    const claims = new ClaimStore(db);
    const names = Array.from({ length: 30 }, (_, i) => `done-${i}`);
    await Promise.all(names.map((name) => claims.claim(key(name), `n-${name}`, 'sms')));
    await Promise.all(
      names.map((name, i) =>
        i % 3 === 0 ? claims.markSent(key(name), `SM${i}`) : i % 3 === 1 ? claims.markFailed(key(name)) : claims.release(key(name)),
      ),
    );
    const rows = await db
      .selectFrom('delivery_claims')
      .select(['idempotency_key', 'state', 'provider_ref', 'completed_at'])
      .where('idempotency_key', 'like', `${run}-done-%`)
      .execute();
    const state = new Map(rows.map((r) => [r.idempotency_key, r]));
    names.forEach((name, i) => {
      const row = state.get(key(name));
      if (i % 3 === 0) expect(row).toMatchObject({ state: 'sent', provider_ref: `SM${i}` });
      if (i % 3 === 1) expect(row).toMatchObject({ state: 'failed', provider_ref: null });
      if (i % 3 === 2) expect(row).toBeUndefined();
      if (row) expect(row.completed_at).toBeInstanceOf(Date);
    });
    // A released key may be claimed afresh.
    await expect(claims.claim(key('done-2'), 'n-done-2', 'sms')).resolves.toEqual({ kind: 'claimed' });
  });

  it('logs many messages at once, keeping the latest attempt when one is opened twice', async () => {
    const log = new MessageLog(db);
    const dispatches = Array.from({ length: 20 }, (_, i) =>
      makeDispatch('email', { tenant: 'acme', user_id: `u${i}`, notification_id: key(`msg-${i}`) }),
    );
    await Promise.all([...dispatches.map((d) => log.opened(d, 'sendgrid')), log.opened({ ...dispatches[0]!, attempt: 2 }, 'smtp')]);
    await Promise.all(dispatches.map((d, i) => log.accepted(d.notification_id, i === 5 ? null : `sg-${i}`)));
    expect(await log.find(key('msg-0'))).toMatchObject({ attempt: 2, provider: 'smtp', provider_ref: 'sg-0' });
    expect(await log.find(key('msg-7'))).toMatchObject({
      attempt: 0,
      provider: 'sendgrid',
      provider_ref: 'sg-7',
      tenant: 'acme',
      recipient: 'acme/u7',
    });
    expect((await log.find(key('msg-5')))?.provider_ref).toBeNull();
  });

  it('answers many opt-out lookups at once, per channel and address', async () => {
    const optOuts = new OptOutStore(db, testContactCipher());
    await optOuts.add('sms', key('+15550001'), 'twilio:21610');
    await optOuts.add('voice', key('+15550002'), 'twilio:21610');
    const asks: Array<[string, string, boolean]> = [
      ['sms', key('+15550001'), true],
      ['sms', key('+15550002'), false],
      ['voice', key('+15550002'), true],
      ['voice', key('+15550001'), false],
      ['sms', key('+15550001'), true],
      ['sms', key('+15550003'), false],
    ];
    const answers = await Promise.all(asks.map(([channel, address]) => optOuts.isOptedOut(channel, address)));
    expect(answers).toEqual(asks.map(([, , expected]) => expected));
  });
});
