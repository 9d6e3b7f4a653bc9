/**
 * `npm run rekey` as an operator runs it: a database of its own with rows written before encryption,
 * keys from mounted files (DATA_KEYS_FILE, BLIND_INDEX_KEY_FILE); it prints what it sealed, and a
 * second run finds nothing left to do.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDb, migrateToLatest, sql, type Db } from '@notify/db';
import { stackEnv } from '../../scripts/src/stack-env';
import { testContactCipher } from '../support/test-contact-cipher';
import { TEST_PERSONAL_DATA_ENV } from '../support/test-keys';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const run = promisify(execFile);

describe('npm run rekey', () => {
  let url: string;
  let db: Db;
  let dir: string;

  beforeAll(async () => {
    url = await createTestDatabase(stackEnv(process.env).databaseUrl);
    db = createDb(url, 2);
    await migrateToLatest(db);
    dir = mkdtempSync(join(tmpdir(), 'rekey-'));
  });
  afterAll(async () => {
    await db?.destroy();
    if (url) await dropTestDatabase(url);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seals clear rows with keys from mounted files, prints counts, and is idempotent', async () => {
    await db
      .insertInto('user_contacts')
      .values({ tenant: 't', user_id: 'u', email: 'ada@example.com', phone: '+15550001111', updated_at: new Date() })
      .execute();
    await db.insertInto('channel_opt_outs').values({ channel: 'sms', address: '+15550001111', source: 'twilio:21610' }).execute();
    writeFileSync(join(dir, 'data-keys'), `${TEST_PERSONAL_DATA_ENV.DATA_KEYS}\n`);
    writeFileSync(join(dir, 'blind-index-key'), `${TEST_PERSONAL_DATA_ENV.BLIND_INDEX_KEY}\n`);
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      DATA_KEYS_FILE: join(dir, 'data-keys'),
      BLIND_INDEX_KEY_FILE: join(dir, 'blind-index-key'),
    };
    const rekey = () => run('npm', ['run', '--silent', 'rekey'], { cwd: join(__dirname, '..', '..'), env });

    const first = await rekey();
    expect(first.stdout).toContain('user_contacts: 1 rows sealed with test');
    expect(first.stdout).toContain('channel_opt_outs: 1 rows sealed with test');
    const { rows } = await sql<{ email: string; phone: string }>`select email, phone from user_contacts`.execute(db);
    expect(JSON.stringify(rows)).not.toMatch(/ada@|5550001111/);
    const contacts = testContactCipher();
    expect(
      contacts.openRow('user_contacts', { tenant: 't', user_id: 'u', ...rows[0], chat: null, push_subscriptions: null }),
    ).toMatchObject({
      email: 'ada@example.com',
      phone: '+15550001111',
    });
    const optOut = await db.selectFrom('channel_opt_outs').select(['address', 'address_index']).executeTakeFirstOrThrow();
    expect(optOut.address_index).toBe(contacts.index('channel_opt_outs.address', '+15550001111'));

    const second = await rekey();
    expect(second.stdout).toContain('user_contacts: 0 rows sealed with test');
    expect(second.stdout).not.toMatch(/: [1-9]\d* rows sealed/);
  });

  it('refuses to run without its keys', async () => {
    await expect(
      run('npm', ['run', '--silent', 'rekey'], { cwd: join(__dirname, '..', '..'), env: { PATH: process.env.PATH, DATABASE_URL: url } }),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('DATA_KEYS (or DATA_KEYS_FILE) is required'),
    });
  });
});
