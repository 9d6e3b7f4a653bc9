/**
 * Contact points at rest (issue 13, item 3): written through the real routes and channel stores, read
 * back raw with SQL, no email, phone number, token, URL or endpoint may appear in clear in any column,
 * while the API still answers with them. Rows written before encryption still read, and `rekey` seals
 * them; a key rotation (ring "B,A", rekey, ring "B") loses nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { OptOutStore, OutboxStore } from '@notify/channel';
import { ContactCipher, sql, type Db } from '@notify/db';
import type { SealingKey } from '@notify/schemas';
import { RemovalStore } from '../../channel-push/src/removal-store';
import { rekey } from '../../../scripts/src/rekey';
import { TEST_PERSONAL_DATA_ENV } from '../../../tests/support/test-keys';
import { readContacts } from '../src/preferences/contacts-store';
import { insertVerification } from '../src/preferences/verification/verification-store';
import { upsertDevice } from '../src/devices/device-rows';
import { newPhone, newUserId, startHarness, type Harness } from './preferences-harness';

jest.setTimeout(60_000);

let h: Harness;
const run = randomUUID().slice(0, 8);
const P256DH = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 3)]).toString('base64url');
const AUTH = Buffer.alloc(16, 5).toString('base64url');
const TABLES = ['user_contacts', 'devices', 'phone_verifications', 'push_subscription_removals', 'channel_outbox'] as const;

beforeAll(async () => {
  h = await startHarness();
}, 120_000);

afterAll(async () => {
  const scopes = [h?.tenant, `rot-${run}`].filter((t): t is string => t !== undefined);
  for (const table of TABLES) await sql`delete from ${sql.table(table)} where tenant = any(${scopes})`.execute(h.db);
  await h?.db.deleteFrom('channel_opt_outs').where('channel', 'in', scopes).execute();
  await h?.close();
}, 60_000);

/** Every row of the tenant's contact tables (and the opt-outs of these channels) as raw JSON text. */
async function rawRows(db: Db, tenant: string, optOutChannels: string[]): Promise<string> {
  const texts: string[] = [];
  for (const table of TABLES) {
    const { rows } = await sql`select * from ${sql.table(table)} where tenant = ${tenant}`.execute(db);
    texts.push(JSON.stringify(rows));
  }
  const optOuts = await db.selectFrom('channel_opt_outs').selectAll().where('channel', 'in', optOutChannels).execute();
  return texts.join('\n') + JSON.stringify(optOuts);
}

const key = (kid: string): SealingKey => ({ kid, key: randomBytes(32) });

describe('contact points at rest', () => {
  it('stores no contact point in clear, and the API still returns them', async () => {
    const user = newUserId();
    const email = `ada-${run}@example.com`;
    const phone = newPhone();
    const slack = `https://hooks.slack.com/services/T0/B0/${run}`;
    const token = `fcm:${'A'.repeat(40)}-${run}`;
    const endpoint = `https://push.example.com/send/${run}-web`;
    const gone = `https://push.example.com/send/${run}-gone`;
    expect((await h.call(user, 'PUT', '/v1/contacts/email', { email })).statusCode).toBe(200);
    expect((await h.call(user, 'PUT', '/v1/contacts/phone', { phone })).statusCode).toBe(200);
    expect((await h.call(user, 'PUT', '/v1/contacts/chat/slack', { url: slack })).statusCode).toBe(200);
    expect((await h.call(user, 'POST', '/v1/devices', { platform: 'android', token, app_id: 'com.example.app' })).statusCode).toBe(201);
    const web = { platform: 'web', subscription: { endpoint, keys: { p256dh: P256DH, auth: AUTH } } };
    expect((await h.call(user, 'POST', '/v1/devices', web)).statusCode).toBe(201);
    expect((await h.call(user, 'POST', '/v1/contacts/phone/verification/start')).statusCode).toBeLessThan(300);
    // What the channel workers store: a provider opt-out, a sandbox outbox row, a push destination gone.
    const optOuts = new OptOutStore(h.db, h.contacts);
    await optOuts.add('sms', phone, 'twilio:21610');
    await new OutboxStore(h.db, h.contacts).record({
      notification_id: `n-${run}`,
      channel: 'sms',
      tenant: h.tenant,
      recipient: `${h.tenant}/${user}`,
      address: phone,
      subject: 's',
      body: 'b',
      html: null,
      payload: {},
    });
    const removal = { tenant: h.tenant, userId: user, statusCode: 410, reason: 'gone', notificationId: `g-${run}` };
    await new RemovalStore(h.db, h.contacts).record({
      ...removal,
      target: { platform: 'web', endpoint: gone, p256dh: P256DH, auth: AUTH },
    });

    try {
      const raw = await rawRows(h.db, h.tenant, ['sms']);
      for (const value of [email, phone, phone.slice(1), slack, token, endpoint, gone, P256DH]) expect(raw).not.toContain(value);
      expect(raw).toContain('sealed.v1.test.');

      const contacts = (await h.call(user, 'GET', '/v1/contacts')).json();
      expect(contacts).toMatchObject({ email, phone, chat: { slack }, opted_out: ['sms'] });
      const devices = (await h.call(user, 'GET', '/v1/devices')).json().items;
      expect(devices).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ platform: 'android', token }),
          expect.objectContaining({ platform: 'web', endpoint }),
        ]),
      );
      expect(await optOuts.isOptedOut('sms', phone)).toBe(true);
      expect(
        await new RemovalStore(h.db, h.contacts).undeliverable(h.tenant, user, [
          { platform: 'web', endpoint: gone, p256dh: P256DH, auth: AUTH },
        ]),
      ).toEqual(new Map([[gone, 'gone']]));
      // A ciphertext copied into another row does not open there.
      await h.db
        .insertInto('user_contacts')
        .values({ tenant: h.tenant, user_id: `${user}-copy`, updated_at: new Date() })
        .execute();
      await sql`update user_contacts set email = (select email from user_contacts where tenant = ${h.tenant} and user_id = ${user})
        where tenant = ${h.tenant} and user_id = ${`${user}-copy`}`.execute(h.db);
      await expect(readContacts(h.db, h.contacts, h.tenant, `${user}-copy`)).rejects.toThrow(/does not open/);
    } finally {
      await optOuts.remove('sms', phone);
      await h.db.deleteFrom('user_contacts').where('tenant', '=', h.tenant).where('user_id', '=', `${user}-copy`).execute();
    }
  });

  it('reads rows written before encryption, and rekey seals and indexes them', async () => {
    const user = newUserId();
    const email = `legacy-${run}@example.com`;
    const phone = newPhone();
    const slack = `https://hooks.slack.com/services/T1/B1/${run}`;
    const token = `fcm:${'B'.repeat(40)}-${run}`;
    const scope = h.tenant;
    await h.db
      .insertInto('user_contacts')
      .values({ tenant: scope, user_id: user, email, phone, chat: JSON.stringify({ slack }), updated_at: new Date() })
      .execute();
    await h.db
      .insertInto('devices')
      .values({ tenant: scope, user_id: user, platform: 'android', app_id: 'com.example.app', token })
      .execute();
    await h.db.insertInto('channel_opt_outs').values({ channel: 'sms', address: phone, source: 'twilio:21610' }).execute();
    await h.db.insertInto('channel_opt_outs').values({ channel: scope, address: phone, source: 'twilio:21610' }).execute();
    try {
      const before = (await h.call(user, 'GET', '/v1/contacts')).json();
      expect(before).toMatchObject({ email, phone, chat: { slack }, opted_out: ['sms'] });
      expect((await h.call(user, 'GET', '/v1/devices')).json().items).toEqual([expect.objectContaining({ token })]);
      // Registering a token held by a clear row finds that row: still one device.
      const other = newUserId();
      const otherToken = `fcm:${'D'.repeat(40)}-${run}`;
      await h.db
        .insertInto('devices')
        .values({ tenant: scope, user_id: other, platform: 'android', app_id: 'com.example.app', token: otherToken })
        .execute();
      expect(
        (await h.call(other, 'POST', '/v1/devices', { platform: 'android', token: otherToken, app_id: 'com.example.app' })).statusCode,
      ).toBe(200);
      expect((await h.call(other, 'GET', '/v1/devices')).json().items).toEqual([expect.objectContaining({ token: otherToken })]);

      const counts = await rekey(h.db, h.contacts, 'test', { scope });
      expect(counts.user_contacts?.rewritten).toBe(1);
      expect(counts.devices?.rewritten).toBe(1);
      expect(counts.channel_opt_outs?.rewritten).toBe(1);
      const raw = await rawRows(h.db, scope, [scope]);
      for (const value of [email, phone.slice(1), slack, token]) expect(raw).not.toContain(value);
      const { rows } = await sql<{
        address_index: string | null;
      }>`select address_index from channel_opt_outs where channel = ${scope}`.execute(h.db);
      expect(rows).toEqual([{ address_index: h.contacts.index('channel_opt_outs.address', phone) }]);
      expect((await h.call(user, 'GET', '/v1/contacts')).json()).toMatchObject({ email, phone, chat: { slack } });
      expect(await new OptOutStore(h.db, h.contacts).isOptedOut(scope, phone)).toBe(true);
      // Idempotent: nothing left to do.
      const again = await rekey(h.db, h.contacts, 'test', { scope });
      expect(Object.values(again).every((c) => c.rewritten + c.duplicatesDropped + c.changedMeanwhile === 0)).toBe(true);
    } finally {
      await new OptOutStore(h.db, h.contacts).remove('sms', phone);
    }
  });

  it('rotates keys: rows sealed with A read under "B,A", rekey moves them to B, "B" alone reads them', async () => {
    const scope = `rot-${run}`;
    const user = newUserId();
    const email = `rot-${run}@example.com`;
    const phone = newPhone();
    const token = `fcm:${'C'.repeat(40)}-${run}`;
    const blind = TEST_PERSONAL_DATA_ENV.BLIND_INDEX_KEY;
    const [a, b] = [key('a'), key('b')];
    const withA = new ContactCipher([a], blind);
    await h.db.transaction().execute(async (trx) => {
      const subject = `${scope}/${user}`;
      await trx
        .insertInto('user_contacts')
        .values({
          tenant: scope,
          user_id: user,
          email: withA.seal('user_contacts.email', subject, email),
          phone: withA.seal('user_contacts.phone', subject, phone),
          updated_at: new Date(),
        })
        .execute();
      await upsertDevice(trx, withA, scope, user, {
        platform: 'android',
        app_id: 'com.example.app',
        token,
        subscription: null,
        locale: null,
      });
      await insertVerification(
        trx,
        withA,
        { tenant: scope, userId: user },
        {
          id: `v-${run}`,
          phone,
          codeHash: Buffer.alloc(32),
          salt: Buffer.alloc(16),
          attempts: 3,
          createdAt: Date.now(),
          expiresAt: Date.now() + 60_000,
        },
      );
    });
    await new OptOutStore(h.db, withA).add(scope, phone, 'twilio:21610');
    await new OutboxStore(h.db, withA).record({
      notification_id: `rot-${run}`,
      channel: 'sms',
      tenant: scope,
      recipient: `${scope}/${user}`,
      address: phone,
      subject: 's',
      body: 'b',
      html: null,
      payload: {},
    });

    const ringBA = new ContactCipher([b, a], blind);
    const expectReadable = async (cipher: ContactCipher) => {
      expect((await readContacts(h.db, cipher, scope, user))?.document).toMatchObject({ email, phone });
      expect((await readContacts(h.db, cipher, scope, user))?.devices).toEqual([expect.objectContaining({ token })]);
      expect(await new OptOutStore(h.db, cipher).isOptedOut(scope, phone)).toBe(true);
      const outbox = await h.db
        .selectFrom('channel_outbox')
        .select('address')
        .where('notification_id', '=', `rot-${run}`)
        .executeTakeFirstOrThrow();
      expect(cipher.openNullable('channel_outbox.address', `rot-${run}`, outbox.address)).toBe(phone);
    };
    await expectReadable(ringBA);
    await expect(readContacts(h.db, new ContactCipher([b], blind), scope, user)).rejects.toThrow(/key a/);

    const counts = await rekey(h.db, ringBA, 'b', { scope });
    expect(Object.values(counts).reduce((n, c) => n + c.rewritten, 0)).toBe(5);
    const raw = await rawRows(h.db, scope, [scope]);
    expect(raw).not.toContain('sealed.v1.a.');
    // email, phone, chat and push_subscriptions of the contacts row; token; verification; outbox; opt-out.
    expect(raw.match(/sealed\.v1\.b\./g)).toHaveLength(8);
    await expectReadable(new ContactCipher([b], blind));
  });
});
