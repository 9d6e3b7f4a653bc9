/**
 * A device sender that throws (a transport or signing failure outside any provider answer) must give
 * the device's claim back: the dispatch's retry then dials the device again, instead of finding the
 * claim held and failing it as `delivery_in_doubt` although nothing was sent.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@notify/db';
import type { TargetOutcome } from '../src/push-outcome';
import type { AppTarget } from '../src/push-targets';
import type { SendInput, TargetSender } from '../src/target-sender';
import { makeDispatch } from '../../../tests/support/dispatches';
import { pushProviderWith } from './provider-of';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);

class FlakySender implements TargetSender<AppTarget> {
  readonly name = 'flaky-apns';
  calls = 0;
  async send(_input: SendInput<AppTarget>): Promise<TargetOutcome> {
    this.calls += 1;
    if (this.calls === 1) throw new Error('socket hang up before any answer');
    return { kind: 'sent', ref: `ref-${this.calls}` };
  }
  async close(): Promise<void> {}
}

let db: Db | undefined;
afterAll(async () => {
  await db?.deleteFrom('delivery_claims').where('notification_id', 'like', `%${RUN}%`).execute();
  await db?.destroy();
});

it('releases the device claim when its sender throws, so the retry reaches the device', async () => {
  const sender = new FlakySender();
  const made = pushProviderWith({ ios: sender });
  db = made.db;
  const base = makeDispatch('push', { tenant: 'acme', user_id: `u-${RUN}` });
  const id = `${base.notification_id}-${RUN}`;
  const dispatch = {
    ...base,
    notification_id: id,
    idempotency_key: id,
    address: JSON.stringify([{ platform: 'ios', token: `ab${RUN}`, app_id: 'com.example.trading', locale: null }]),
  };
  const message = { title: 'Margin call', body: 'Top up', data: {} };

  await expect(made.provider.send(dispatch, message)).rejects.toThrow(/socket hang up/);
  const retried = await made.provider.send({ ...dispatch, attempt: 1 }, message);
  expect(sender.calls).toBe(2);
  expect(retried.providerRef).toBe('ref-2');
});
