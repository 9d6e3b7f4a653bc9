/**
 * Replaying a dead letter through the channel handler, against real Postgres: an operator's replay
 * (a Dispatch with `replay` n > 0) re-opens the claim its failed run left and sends again, and every
 * status it produces carries n; a redelivered record of the same replay does not send twice, and a
 * replay of something already sent re-reports the success without calling the provider.
 */
import { randomUUID } from 'node:crypto';
import { PermanentError, RetryableError } from '@notify/errors';
import {
  channelDeadLetter,
  ClaimStore,
  createChannelHandler,
  createChannelMetrics,
  feedbackStatuses,
  MessageLog,
  type ChannelProvider,
} from '@notify/channel';
import { createDb, migrateToLatest, type Db } from '@notify/db';
import { createLogger, createMetrics, type HandlerContext, type Output } from '@notify/runner';
import type { DeliveryStatus, Dispatch } from '@notify/schemas';
import { stackEnv } from '../../scripts/src/stack-env';
import { makeDispatch } from '../support/dispatches';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);

describe('replays and idempotency claims', () => {
  let db: Db;
  const key = (name: string) => `${RUN}-${name}`;

  beforeAll(async () => {
    db = createDb(stackEnv(process.env).databaseUrl, 4);
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db.deleteFrom('delivery_claims').where('idempotency_key', 'like', `${RUN}-%`).execute();
    await db.deleteFrom('channel_messages').where('recipient', '=', `acme/u-${RUN}`).execute();
    await db.destroy();
  });

  const row = (k: string) =>
    db
      .selectFrom('delivery_claims')
      .select(['state', 'attempts', 'replay', 'provider_ref', 'completed_at'])
      .where('idempotency_key', '=', k)
      .executeTakeFirstOrThrow();

  describe('ClaimStore.reopen', () => {
    it('hands a claim an earlier run left failed to the replay, attempts reset', async () => {
      const claims = new ClaimStore(db);
      await claims.claim(key('failed'), 'n1', 'webhook');
      await claims.claim(key('failed'), 'n1', 'webhook');
      await claims.markFailed(key('failed'));
      await expect(claims.reopen(key('failed'), 1)).resolves.toEqual({ kind: 'claimed' });
      expect(await row(key('failed'))).toEqual({ state: 'claimed', attempts: 1, replay: 1, provider_ref: null, completed_at: null });
      // The same replay asking again (a redelivered record) finds its own claim in progress, not a free one.
      await expect(claims.reopen(key('failed'), 1)).resolves.toEqual({ kind: 'in_doubt', attempts: 1 });
    });

    it('hands a claim an earlier run left in doubt (claimed, never settled) to the replay', async () => {
      const claims = new ClaimStore(db);
      await claims.claim(key('stuck'), 'n4', 'webhook');
      await expect(claims.reopen(key('stuck'), 1)).resolves.toEqual({ kind: 'claimed' });
      expect(await row(key('stuck'))).toMatchObject({ state: 'claimed', attempts: 1, replay: 1 });
    });

    it('leaves a claim this replay already failed, and any sent claim, as they are', async () => {
      const claims = new ClaimStore(db);
      await claims.claim(key('failed-by-replay'), 'n2', 'webhook', 2);
      await claims.markFailed(key('failed-by-replay'));
      await expect(claims.reopen(key('failed-by-replay'), 2)).resolves.toEqual({ kind: 'failed' });
      await expect(claims.reopen(key('failed-by-replay'), 1)).resolves.toEqual({ kind: 'failed' });
      expect(await row(key('failed-by-replay'))).toMatchObject({ state: 'failed', replay: 2 });

      await claims.claim(key('sent'), 'n3', 'webhook');
      await claims.markSent(key('sent'), 'ref-3');
      await expect(claims.reopen(key('sent'), 5)).resolves.toEqual({ kind: 'sent', providerRef: 'ref-3' });
      expect(await row(key('sent'))).toMatchObject({ state: 'sent', replay: 0, provider_ref: 'ref-3' });
    });

    it('re-opens a key once when one batch asks twice, and answers each of many concurrent re-openings', async () => {
      const claims = new ClaimStore(db);
      const names = Array.from({ length: 12 }, (_, i) => `many-${i}`);
      await Promise.all(names.map((n) => claims.claim(key(n), `n-${n}`, 'sms')));
      await Promise.all(names.map((n) => claims.markFailed(key(n))));
      const outcomes = await Promise.all([...names.map((n) => claims.reopen(key(n), 1)), claims.reopen(key('many-0'), 1)]);
      expect(outcomes.slice(0, names.length).every((o) => o.kind === 'claimed')).toBe(true);
      expect(outcomes[names.length]).toEqual({ kind: 'in_doubt', attempts: 1 });
    });

    it('refuses to re-open a claim that does not exist', async () => {
      await expect(new ClaimStore(db).reopen(key('never-claimed'), 1)).rejects.toThrow(/not found/);
    });
  });

  describe('the channel handler', () => {
    const ctx = (): HandlerContext => ({ log: createLogger('replay-claims-test', 'silent'), metrics: createMetrics('replay-claims-test') });
    const record = (d: Dispatch) => ({
      topic: `notifications.dispatch.${d.channel}`,
      partition: 0,
      offset: '0',
      key: d.recipient,
      value: d,
      headers: {},
      timestamp: Date.now(),
    });
    const statuses = (outputs: Output[]) =>
      outputs.filter((o) => o.topic === 'notifications.delivery-status').map((o) => o.value as DeliveryStatus);
    const dispatch = (channel: 'webhook' | 'sms' = 'webhook'): Dispatch => {
      const d = makeDispatch(channel, {
        tenant: 'acme',
        user_id: `u-${RUN}`,
        address: channel === 'sms' ? '+15550100' : 'https://hooks.example/1',
      });
      return { ...d, idempotency_key: key(d.notification_id) };
    };
    const replayOf = (d: Dispatch, replay: number): Dispatch => ({ ...d, attempt: 0, not_before: 0, replay });

    /** A provider that answers from a script and counts its calls. */
    function scripted(...answers: Array<'ok' | 'gone' | 'busy'>) {
      const calls: Dispatch[] = [];
      const provider: ChannelProvider = {
        name: 'scripted',
        dedupesByIdempotencyKey: false,
        acceptanceIsDelivery: true,
        send: async (d) => {
          calls.push(d);
          const answer = answers[calls.length - 1] ?? 'ok';
          if (answer === 'gone') throw new PermanentError('http_410', 'endpoint answered 410');
          if (answer === 'busy') throw new RetryableError('http_503', 'endpoint answered 503');
          return { providerRef: `ref-${calls.length}` };
        },
      };
      return { provider, calls };
    }
    const handlerFor = (provider: ChannelProvider, channel: 'webhook' | 'sms' = 'webhook', messages?: MessageLog) =>
      createChannelHandler({
        channel,
        provider,
        claims: new ClaimStore(db),
        metrics: createChannelMetrics(createMetrics('replay-claims-test').registry),
        render: () => ({ title: 'Settled', body: 'Trade settled', data: {} }),
        ...(messages ? { messages } : {}),
      });

    it('re-runs a dead-lettered dispatch on replay and numbers every status of the re-run', async () => {
      const { provider, calls } = scripted('gone', 'ok');
      const handler = handlerFor(provider);
      const d = dispatch();
      const error = await Promise.resolve(handler.handle(record(d), ctx())).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PermanentError);
      const letters = channelDeadLetter(
        'webhook',
        provider.name,
      )({
        stage: 'channel-webhook',
        topic: 'notifications.dispatch.webhook',
        partition: 0,
        offset: '0',
        key: d.recipient,
        raw: null,
        decoded: d,
        code: 'http_410',
        reason: 'endpoint answered 410',
        attempts: 1,
      });
      expect(statuses(letters)).toEqual([expect.objectContaining({ status: 'dead_lettered', replay: 0, terminal: true })]);
      // Without a replay number the failed claim still stops a redelivered original.
      expect(await handler.handle(record(d), ctx())).toEqual([]);
      expect(calls).toHaveLength(1);

      const replayed = statuses(await handler.handle(record(replayOf(d, 1)), ctx()));
      expect(calls).toHaveLength(2);
      expect(calls[1]).toMatchObject({ attempt: 0, replay: 1 });
      expect(replayed).toEqual([
        expect.objectContaining({ notification_id: d.notification_id, status: 'delivered', replay: 1, attempt: 0, terminal: true }),
      ]);
      expect(await row(d.idempotency_key)).toMatchObject({ state: 'sent', replay: 1, provider_ref: 'ref-2' });
    });

    it('never sends twice: a redelivered replay and a replay of a sent dispatch re-report the success', async () => {
      const { provider, calls } = scripted('gone', 'ok');
      const handler = handlerFor(provider);
      const d = dispatch();
      await Promise.resolve(handler.handle(record(d), ctx())).catch(() => undefined);
      await handler.handle(record(replayOf(d, 1)), ctx());
      expect(statuses(await handler.handle(record(replayOf(d, 1)), ctx()))).toEqual([
        expect.objectContaining({ status: 'delivered', replay: 1 }),
      ]);
      expect(statuses(await handler.handle(record(replayOf(d, 2)), ctx()))).toEqual([
        expect.objectContaining({ status: 'delivered', replay: 2, terminal: true }),
      ]);
      expect(calls).toHaveLength(2);
    });

    it('a replay that fails for good is settled: its redelivery does nothing, the next replay sends again', async () => {
      const { provider, calls } = scripted('gone', 'gone', 'ok');
      const handler = handlerFor(provider);
      const d = dispatch();
      await Promise.resolve(handler.handle(record(d), ctx())).catch(() => undefined);
      await expect(Promise.resolve(handler.handle(record(replayOf(d, 1)), ctx()))).rejects.toBeInstanceOf(PermanentError);
      expect(await row(d.idempotency_key)).toMatchObject({ state: 'failed', replay: 1 });
      expect(await handler.handle(record(replayOf(d, 1)), ctx())).toEqual([]);
      expect(calls).toHaveLength(2);
      expect(statuses(await handler.handle(record(replayOf(d, 2)), ctx()))).toEqual([
        expect.objectContaining({ status: 'delivered', replay: 2 }),
      ]);
      expect(calls).toHaveLength(3);
    });

    it('keeps the replay number through the retry topic', async () => {
      const { provider } = scripted('gone', 'busy');
      const handler = handlerFor(provider);
      const d = dispatch();
      await Promise.resolve(handler.handle(record(d), ctx())).catch(() => undefined);
      const outputs = await handler.handle(record(replayOf(d, 1)), ctx());
      expect(outputs.find((o) => o.topic === 'notifications.retry.webhook')?.value).toMatchObject({
        notification_id: d.notification_id,
        attempt: 1,
        replay: 1,
      });
      expect(statuses(outputs)).toEqual([expect.objectContaining({ status: 'retrying', replay: 1, terminal: false })]);
      // The retry released the claim; the retried record of the replay claims it again as the replay's.
      expect(
        await db.selectFrom('delivery_claims').select('state').where('idempotency_key', '=', d.idempotency_key).executeTakeFirst(),
      ).toBeUndefined();
    });

    it("logs a replayed message with its replay, so the provider's later report names it", async () => {
      const log = new MessageLog(db);
      const later: ChannelProvider = { ...scripted('gone', 'ok').provider, acceptanceIsDelivery: false };
      const handler = handlerFor(later, 'sms', log);
      const d = dispatch('sms');
      await Promise.resolve(handler.handle(record(d), ctx())).catch(() => undefined);
      expect(statuses(await handler.handle(record(replayOf(d, 1)), ctx()))).toEqual([
        expect.objectContaining({ status: 'sent', replay: 1, terminal: false }),
      ]);
      const closed: DeliveryStatus[] = [];
      await log.close(d.notification_id, 'delivered', null, async (messages) => {
        for (const m of messages) closed.push(...feedbackStatuses(m, 'delivered', null, 'delivered'));
      });
      expect(closed).toEqual([
        expect.objectContaining({ notification_id: d.notification_id, status: 'delivered', replay: 1, terminal: true }),
      ]);
    });

    it("starts a replay with an open log row, so its report closes it even when an earlier run's row was closed", async () => {
      const log = new MessageLog(db);
      const d = dispatch('sms');
      await log.opened(d, 'scripted');
      await log.accepted(d.notification_id, 'ref-original');
      const publishNothing = async () => undefined;
      await expect(log.close(d.notification_id, 'failed', 'undelivered', publishNothing)).resolves.toMatchObject({ replay: 0 });
      // The same run opening again (a redelivery) keeps the row closed: its terminal was published.
      await log.opened(d, 'scripted');
      await expect(log.close(d.notification_id, 'delivered', null, publishNothing)).resolves.toBeUndefined();

      await log.opened(replayOf(d, 1), 'scripted');
      const reopened = await db
        .selectFrom('channel_messages')
        .select(['final_status', 'final_reason', 'closed_at', 'accepted_at', 'provider_ref', 'replay'])
        .where('notification_id', '=', d.notification_id)
        .executeTakeFirstOrThrow();
      expect(reopened).toEqual({
        final_status: null,
        final_reason: null,
        closed_at: null,
        accepted_at: null,
        provider_ref: null,
        replay: 1,
      });
      await log.accepted(d.notification_id, 'ref-replay');
      await expect(log.close(d.notification_id, 'delivered', null, publishNothing)).resolves.toMatchObject({
        replay: 1,
        provider_ref: 'ref-replay',
      });
    });
  });
});
