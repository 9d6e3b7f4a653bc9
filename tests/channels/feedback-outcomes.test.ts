/**
 * Who closes a message whose provider reports later, against real Postgres and Kafka: provider
 * reports are counted (delivered, latency, failed) once, when they close the message and not when
 * it is sent; and a send in doubt (the attempt stopped between claim and result) and a provider
 * report racing for the same message end it with exactly one terminal status, whichever comes first.
 */
import { randomUUID } from 'node:crypto';
import {
  ClaimStore,
  createChannelHandler,
  createChannelMetrics,
  MessageLog,
  type ChannelMetrics,
  type ChannelProvider,
  type Claims,
} from '@notify/channel';
import { createLogger, createMetrics, type HandlerContext, type Output } from '@notify/runner';
import type { DeliveryStatus, Dispatch } from '@notify/schemas';
import { makeDispatch } from '../support/dispatches';
import { openFeedbackRig, type FeedbackRig } from '../support/feedback-rig';
import { waitFor } from '../support/wait';

jest.setTimeout(60_000);

const RUN = randomUUID().slice(0, 8);

describe('closing messages on provider feedback', () => {
  let rig: FeedbackRig;

  beforeAll(async () => {
    rig = await openFeedbackRig();
  });
  afterAll(async () => {
    await rig.db.deleteFrom('channel_messages').where('recipient', '=', `acme/u-${RUN}`).execute();
    if (keys.length > 0) await rig.db.deleteFrom('delivery_claims').where('idempotency_key', 'in', keys).execute();
    await rig.close();
  });

  const keys: string[] = [];
  const dispatch = (over: Partial<Dispatch> = {}): Dispatch => {
    const d = makeDispatch('sms', { tenant: 'acme', user_id: `u-${RUN}`, address: '+15550100', ...over });
    keys.push(d.idempotency_key);
    return d;
  };
  const ctx = (): HandlerContext => ({
    log: createLogger('feedback-outcomes-test', 'silent'),
    metrics: createMetrics('feedback-outcomes-test'),
  });
  const channelMetrics = (name: string) => createChannelMetrics(createMetrics(name).registry);
  const record = (d: Dispatch) => ({
    topic: 'notifications.dispatch.sms',
    partition: 0,
    offset: '0',
    key: d.recipient,
    value: d,
    headers: {},
    timestamp: Date.now(),
  });
  const statusesOf = (outputs: Output[]) =>
    outputs.filter((o) => o.topic === 'notifications.delivery-status').map((o) => o.value as DeliveryStatus);
  const provider = (send: ChannelProvider['send']): ChannelProvider => ({
    name: 'twilio',
    dedupesByIdempotencyKey: false,
    acceptanceIsDelivery: false,
    send,
  });
  const accepting = provider(async () => ({ providerRef: `${RUN}-${randomUUID().slice(0, 6)}` }));
  const handler = (
    p: ChannelProvider,
    claims: Claims = new ClaimStore(rig.db),
    metrics: ChannelMetrics = channelMetrics('feedback-outcomes-test'),
  ) =>
    createChannelHandler({
      channel: 'sms',
      provider: p,
      claims,
      metrics,
      messages: new MessageLog(rig.db),
      render: () => ({ title: 'Margin call', body: 'Margin call', data: {} }),
    });
  const terminalsPublished = (id: string) => rig.published.filter((s) => s.notification_id === id && s.terminal);
  const claimState = async (d: Dispatch) =>
    (await rig.db.selectFrom('delivery_claims').select('state').where('idempotency_key', '=', d.idempotency_key).executeTakeFirst())?.state;
  const value = async (metric: ChannelMetrics['delivered'] | ChannelMetrics['failed'], labels: Record<string, string>) =>
    (await metric.get()).values.find((v) => Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x))
      ?.value ?? 0;
  /** A first attempt that claimed and logged the dispatch and is still waiting for the provider: a worker that stopped there. */
  const stoppedAttempt = async (d: Dispatch) => {
    let called!: () => void;
    const reached = new Promise<void>((resolve) => (called = resolve));
    void handler(
      provider(() => {
        called();
        return new Promise(() => {});
      }),
    ).handle(record(d), ctx());
    await reached;
  };

  it('counts delivered and its latency when the report closes the message, not when it is sent, and a repeated report not again', async () => {
    const metrics = channelMetrics('report-metrics-test');
    const d = dispatch({ occurred_at: Date.now() - 3000 });
    const sent = statusesOf(await handler(accepting, undefined, metrics).handle(record(d), ctx()));
    expect(sent.map((s) => [s.status, s.terminal])).toEqual([['sent', false]]);
    expect(await value(metrics.delivered, { channel: 'sms' })).toBe(0);
    expect((await metrics.deliveryLatency.get()).values.find((v) => v.metricName === 'delivery_latency_seconds_count')?.value ?? 0).toBe(0);

    const closer = rig.closer({ metrics });
    expect(await closer.report(d.notification_id, 'delivered', null, 'twilio reported delivered')).toBeDefined();
    expect(await closer.report(d.notification_id, 'delivered', null, 'twilio reported delivered')).toBeUndefined();
    expect(await value(metrics.delivered, { channel: 'sms' })).toBe(1);
    const latency = (await metrics.deliveryLatency.get()).values;
    expect(latency.find((v) => v.metricName === 'delivery_latency_seconds_count')?.value).toBe(1);
    expect(latency.find((v) => v.metricName === 'delivery_latency_seconds_sum')?.value).toBeGreaterThanOrEqual(3);
    expect(terminalsPublished(d.notification_id).map((s) => s.status)).toEqual(['delivered']);
    await waitFor('the delivered status on the topic', () =>
      rig.statuses.records.find((r) => r.value.notification_id === d.notification_id && r.value.terminal),
    );
  });

  it('counts a reported failure once, with its reason', async () => {
    const metrics = channelMetrics('report-failure-test');
    const d = dispatch();
    await handler(accepting, undefined, metrics).handle(record(d), ctx());
    const closer = rig.closer({ metrics });
    await closer.report(d.notification_id, 'failed', 'twilio_30003', 'twilio reported undelivered');
    await closer.report(d.notification_id, 'failed', 'twilio_30003', 'twilio reported undelivered');
    await closer.report(d.notification_id, 'delivered', null, 'twilio reported delivered');
    expect(await value(metrics.failed, { channel: 'sms', reason: 'twilio_30003' })).toBe(1);
    expect(await value(metrics.delivered, { channel: 'sms' })).toBe(0);
    expect(terminalsPublished(d.notification_id).map((s) => [s.status, s.reason])).toEqual([['failed', 'twilio_30003']]);
  });

  it('closes the log row when a send in doubt fails, so a report arriving later publishes nothing', async () => {
    const d = dispatch();
    await stoppedAttempt(d);
    const metrics = channelMetrics('in-doubt-first-test');
    const outputs = statusesOf(await handler(accepting, undefined, metrics).handle(record(d), ctx()));
    expect(outputs.map((s) => [s.status, s.reason, s.terminal])).toEqual([['failed', 'delivery_in_doubt', true]]);
    expect(await value(metrics.failed, { channel: 'sms', reason: 'delivery_in_doubt' })).toBe(1);

    expect(await rig.closer({ metrics }).report(d.notification_id, 'delivered', null, 'twilio reported delivered')).toBeUndefined();
    expect(terminalsPublished(d.notification_id)).toEqual([]);
    expect(await value(metrics.delivered, { channel: 'sms' })).toBe(0);
    expect(await claimState(d)).toBe('failed');
  });

  it('lets a report that comes first win: the redelivered send in doubt then reports nothing', async () => {
    const d = dispatch();
    await stoppedAttempt(d);
    expect(await rig.closer().report(d.notification_id, 'delivered', null, 'twilio reported delivered')).toBeDefined();
    const outputs = await handler(accepting).handle(record(d), ctx());
    expect(statusesOf(outputs)).toEqual([]);
    expect(terminalsPublished(d.notification_id).map((s) => s.status)).toEqual(['delivered']);
    // The provider evidently took it: a later redelivery re-reports `sent` like any sent claim, never a terminal.
    expect(await claimState(d)).toBe('sent');
  });

  it('reports a send in doubt as sent when the log shows the provider accepted it, and leaves it open for the report', async () => {
    const d = dispatch();
    const store = new ClaimStore(rig.db);
    // The worker stops after logging the acceptance, before the claim is marked sent.
    const stopsBeforeMarkingSent: Claims = {
      claim: (...args) => store.claim(...args),
      reopen: (...args) => store.reopen(...args),
      markSent: async () => {
        throw new Error('worker stopped');
      },
      markFailed: (key) => store.markFailed(key),
      release: (key) => store.release(key),
    };
    await expect(handler(accepting, stopsBeforeMarkingSent).handle(record(d), ctx())).rejects.toThrow('worker stopped');

    const outputs = statusesOf(await handler(accepting).handle(record(d), ctx()));
    expect(outputs.map((s) => [s.status, s.terminal])).toEqual([['sent', false]]);
    expect(await claimState(d)).toBe('sent');
    expect(await rig.closer().report(d.notification_id, 'delivered', null, 'twilio reported delivered')).toBeDefined();
    expect(terminalsPublished(d.notification_id).map((s) => s.status)).toEqual(['delivered']);
  });

  it('ends every message with exactly one terminal when redelivered sends in doubt and reports race', async () => {
    const dispatches = Array.from({ length: 20 }, () => dispatch());
    await Promise.all(dispatches.map(stoppedAttempt));
    const closer = rig.closer();
    const raced = await Promise.all(
      dispatches.map((d) =>
        Promise.all([
          handler(accepting).handle(record(d), ctx()),
          closer.report(d.notification_id, 'delivered', null, 'twilio reported delivered'),
        ]),
      ),
    );
    raced.forEach(([outputs], i) => {
      const id = dispatches[i]!.notification_id;
      const terminals = [...statusesOf(outputs).filter((s) => s.terminal), ...terminalsPublished(id)];
      expect(terminals.map((s) => s.notification_id)).toEqual([id]);
    });
  });
});
