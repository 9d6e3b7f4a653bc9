import { Deferral, InvalidInputError, PermanentError, RetryableError } from '@notify/errors';
import { createLogger, createMetrics, type HandlerContext, type Output } from '@notify/runner';
import { isTerminal, type DeliveryStatus, type Dispatch } from '@notify/schemas';
import { channelDeadLetter, createChannelHandler } from './channel-handler';
import { createChannelMetrics } from './channel-metrics';
import type { ClaimOutcome, Claims } from './claims';
import { UndeliverableError, type ChannelProvider } from './provider';
import { createTemplateRenderer } from './template-renderer';
import { BUNDLED_TEMPLATES_DIR, TemplateBook } from './templates';

const T0 = Date.parse('2026-03-02T12:00:00Z');
const render = createTemplateRenderer(TemplateBook.fromDirectory(BUNDLED_TEMPLATES_DIR), 'slack');

/** The claim rules of ClaimStore, kept in memory: these tests are about what the handler reports. */
class MemoryClaims implements Claims {
  readonly states = new Map<string, 'claimed' | 'sent' | 'failed'>();

  async claim(key: string): Promise<ClaimOutcome> {
    const state = this.states.get(key);
    if (state === undefined) {
      this.states.set(key, 'claimed');
      return { kind: 'claimed' };
    }
    if (state === 'sent') return { kind: 'sent', providerRef: null };
    if (state === 'failed') return { kind: 'failed' };
    return { kind: 'in_doubt', attempts: 2 };
  }

  /** Takes over a failed or in-doubt claim; unlike ClaimStore this keeps no run number, so every replay may. */
  async reopen(key: string): Promise<ClaimOutcome> {
    const state = this.states.get(key);
    if (state === 'sent') return { kind: 'sent', providerRef: null };
    this.states.set(key, 'claimed');
    return { kind: 'claimed' };
  }

  async markSent(key: string): Promise<void> {
    this.states.set(key, 'sent');
  }

  async markFailed(key: string): Promise<void> {
    this.states.set(key, 'failed');
  }

  async release(key: string): Promise<void> {
    if (this.states.get(key) === 'claimed') this.states.delete(key);
  }
}

function provider(send: ChannelProvider['send'], acceptanceIsDelivery = true): ChannelProvider {
  return { name: 'test-provider', dedupesByIdempotencyKey: false, acceptanceIsDelivery, send };
}

const members = [
  { notification_id: 'ntf_m1', event_id: 'evt-1', type: 'STOP_LOSS_TRIGGERED', severity: 'warning', payload: '{}', occurred_at: T0 - 3000 },
  { notification_id: 'ntf_m2', event_id: 'evt-2', type: 'STOP_LOSS_TRIGGERED', severity: 'warning', payload: '{}', occurred_at: T0 - 2000 },
  { notification_id: 'ntf_m3', event_id: 'evt-3', type: 'TRADE_EXECUTED', severity: 'info', payload: '{}', occurred_at: T0 - 1000 },
];

function digestDispatch(overrides: Partial<Dispatch> = {}): Dispatch {
  return {
    notification_id: 'ntf_digest',
    idempotency_key: 'ntf_digest',
    event_id: 'ntf_digest',
    tenant: 'acme',
    recipient: 'acme/u1',
    user_id: 'u1',
    channel: 'slack',
    type: 'DIGEST',
    severity: 'warning',
    severity_label: 'warning',
    template: 'digest',
    priority: 'normal',
    locale: 'en',
    address: 'https://hooks.slack.example/1',
    payload: JSON.stringify({ summary: '2 Stop Loss Triggered, 1 Trade Executed' }),
    digest: { total: 3, counts: { STOP_LOSS_TRIGGERED: 2, TRADE_EXECUTED: 1 }, items: members },
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: T0 - 3000,
    created_at: T0,
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    ...overrides,
  };
}

const channelMetrics = () => createChannelMetrics(createMetrics('channel-handler-test').registry);
const ctx = (): HandlerContext => ({ log: createLogger('channel-handler-test', 'silent'), metrics: createMetrics('channel-handler-test') });
const record = (value: Dispatch) => ({
  topic: 'notifications.dispatch.slack',
  partition: 0,
  offset: '0',
  key: value.recipient,
  value,
  headers: {},
  timestamp: T0,
});
const statuses = (outputs: Output[]): DeliveryStatus[] =>
  outputs.filter((o) => o.topic === 'notifications.delivery-status').map((o) => o.value as DeliveryStatus);

/** notification id → [status, reason], with the id each record is keyed by checked on the way. */
function byNotification(outputs: Output[]): Record<string, [string, string | null]> {
  const result: Record<string, [string, string | null]> = {};
  for (const o of outputs.filter((x) => x.topic === 'notifications.delivery-status')) {
    const s = o.value as DeliveryStatus;
    expect(o.key).toBe(s.notification_id);
    result[s.notification_id] = [s.status, s.reason];
  }
  return result;
}

describe('channel handler with a digest dispatch', () => {
  it('reports delivery for the digest and every member, each with its own event, type and occurrence', async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => ({ providerRef: null })),
      claims: new MemoryClaims(),
      render,
      now: () => T0,
    });
    const outputs = await handler.handle(record(digestDispatch()), ctx());
    expect(byNotification(outputs)).toEqual({
      ntf_digest: ['delivered', null],
      ntf_m1: ['delivered', null],
      ntf_m2: ['delivered', null],
      ntf_m3: ['delivered', null],
    });
    const m3 = statuses(outputs).find((s) => s.notification_id === 'ntf_m3');
    expect(m3).toMatchObject({
      event_id: 'evt-3',
      type: 'TRADE_EXECUTED',
      occurred_at: T0 - 1000,
      channel: 'slack',
      stage: 'channel-slack',
      provider: 'test-provider',
      recipient: 'acme/u1',
      terminal: true,
      detail: 'digest ntf_digest',
    });
  });

  it('reports a non-terminal sent for every member when the provider reports delivery later', async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => ({ providerRef: 'ref-1' }), false),
      claims: new MemoryClaims(),
      render,
    });
    const outputs = await handler.handle(record(digestDispatch()), ctx());
    expect(statuses(outputs).map((s) => [s.notification_id, s.status, s.terminal])).toEqual([
      ['ntf_digest', 'sent', false],
      ['ntf_m1', 'sent', false],
      ['ntf_m2', 'sent', false],
      ['ntf_m3', 'sent', false],
    ]);
  });

  it('schedules a retry for the digest alone: members wait for its outcome', async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => {
        throw new RetryableError('http_503', 'slack answered 503');
      }),
      claims: new MemoryClaims(),
      render,
    });
    const outputs = await handler.handle(record(digestDispatch()), ctx());
    expect(byNotification(outputs)).toEqual({ ntf_digest: ['retrying', 'http_503'] });
    expect(outputs.find((o) => o.topic === 'notifications.retry.slack')?.value).toMatchObject({
      notification_id: 'ntf_digest',
      attempt: 1,
    });
  });

  it('fails every member with the digest when its delivery is in doubt', async () => {
    const claims = new MemoryClaims();
    claims.states.set('ntf_digest', 'claimed');
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => ({ providerRef: null })),
      claims,
      render,
    });
    const outputs = await handler.handle(record(digestDispatch()), ctx());
    expect(Object.values(byNotification(outputs))).toEqual(Array(4).fill(['failed', 'delivery_in_doubt']));
  });

  it('dead-letters a permanently failing digest with a terminal dead_lettered status for it and each member', async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => {
        throw new PermanentError('http_404', 'slack answered 404: no_service');
      }),
      claims: new MemoryClaims(),
      render,
    });
    const d = digestDispatch();
    const error = await Promise.resolve(handler.handle(record(d), ctx())).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentError);
    const outputs = channelDeadLetter(
      'slack',
      'test-provider',
    )({
      stage: 'channel-slack',
      topic: 'notifications.dispatch.slack',
      partition: 0,
      offset: '7',
      key: d.recipient,
      raw: Buffer.from('x'),
      decoded: d,
      code: 'http_404',
      reason: 'slack answered 404: no_service',
      attempts: 1,
    });
    expect(outputs.filter((o) => o.topic === 'notifications.dlq')).toHaveLength(1);
    expect(byNotification(outputs)).toEqual({
      ntf_digest: ['dead_lettered', 'http_404'],
      ntf_m1: ['dead_lettered', 'http_404'],
      ntf_m2: ['dead_lettered', 'http_404'],
      ntf_m3: ['dead_lettered', 'http_404'],
    });
  });

  it('suppresses the digest and every member as opted_out when the address opted out at the provider', async () => {
    const sent: string[] = [];
    const optOuts = {
      add: async () => {},
      isOptedOut: async (channel: string, address: string) => channel === 'slack' && address === 'https://hooks.slack.example/1',
    };
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async (d) => {
        sent.push(d.notification_id);
        return { providerRef: null };
      }),
      claims: new MemoryClaims(),
      render,
      optOuts,
    });
    const outputs = await handler.handle(record(digestDispatch()), ctx());
    expect(sent).toEqual([]);
    expect(Object.values(byNotification(outputs))).toEqual(Array(4).fill(['suppressed', 'opted_out']));
  });

  it('gives each member exactly one terminal status, as a single message gets one', async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => ({ providerRef: null })),
      claims: new MemoryClaims(),
      render,
    });
    const single = await handler.handle(
      record(digestDispatch({ notification_id: 'ntf_single', idempotency_key: 'ntf_single', digest: null })),
      ctx(),
    );
    expect(byNotification(single)).toEqual({ ntf_single: ['delivered', null] });
    const digest = statuses(await handler.handle(record(digestDispatch()), ctx()));
    for (const id of ['ntf_digest', ...members.map((m) => m.notification_id)]) {
      expect(digest.filter((s) => s.notification_id === id && isTerminal(s.status))).toHaveLength(1);
    }
  });
});

describe('channel handler with a provider that reports per-target results', () => {
  it("carries the provider's detail in the delivered status", async () => {
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => ({ providerRef: 'r-1', detail: '{"devices":[]}' })),
      claims: new MemoryClaims(),
      render,
      now: () => T0,
    });
    const single = { ...digestDispatch(), digest: null, notification_id: 'ntf_single', idempotency_key: 'ntf_single' };
    expect(statuses(await handler.handle(record(single), ctx()))).toEqual([
      expect.objectContaining({ notification_id: 'ntf_single', status: 'delivered', detail: '{"devices":[]}' }),
    ]);
  });
});

describe('channel handler failures, classed by type', () => {
  const single = (overrides: Partial<Dispatch> = {}) =>
    digestDispatch({ notification_id: 'ntf_single', idempotency_key: 'ntf_single', digest: null, ...overrides });

  it('does not retry an InvalidInputError from a provider: the claim fails and the runner dead-letters it', async () => {
    const claims = new MemoryClaims();
    const metrics = channelMetrics();
    const handler = createChannelHandler({
      channel: 'slack',
      metrics,
      provider: provider(async () => {
        throw new InvalidInputError('invalid_address', 'not a Slack destination');
      }),
      claims,
      render,
    });
    const error = await Promise.resolve(handler.handle(record(single()), ctx())).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(claims.states.get('ntf_single')).toBe('failed');
    expect((await metrics.failed.get()).values).toEqual([
      expect.objectContaining({ labels: { channel: 'slack', reason: 'invalid_address' }, value: 1 }),
    ]);
  });

  it('ends an undeliverable notification failed instead of dead-lettering it', async () => {
    const claims = new MemoryClaims();
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async () => {
        throw new UndeliverableError('subscription_gone', 'every subscription is gone');
      }),
      claims,
      render,
    });
    const outputs = await handler.handle(record(single()), ctx());
    expect(byNotification(outputs)).toEqual({ ntf_single: ['failed', 'subscription_gone'] });
    expect(outputs.filter((o) => o.topic === 'notifications.dlq' || o.topic === 'notifications.retry.slack')).toEqual([]);
    expect(claims.states.get('ntf_single')).toBe('failed');
  });

  it('defers a retry that is not due yet without sending it, and sends it once due', async () => {
    let clock = T0;
    const sent: string[] = [];
    const handler = createChannelHandler({
      channel: 'slack',
      metrics: channelMetrics(),
      provider: provider(async (d) => {
        sent.push(d.notification_id);
        return { providerRef: null };
      }),
      claims: new MemoryClaims(),
      render,
      now: () => clock,
    });
    const retry = { ...record(single({ attempt: 1, not_before: T0 + 2_000 })), topic: 'notifications.retry.slack' };
    const early = await Promise.resolve(handler.handle(retry, ctx())).then(
      () => null,
      (e: unknown) => e,
    );
    expect(early).toBeInstanceOf(Deferral);
    expect(early).toMatchObject({ untilMs: T0 + 2_000 });
    expect(sent).toEqual([]);
    clock = T0 + 2_000;
    expect(byNotification(await handler.handle(retry, ctx()))).toEqual({ ntf_single: ['delivered', null] });
    expect(sent).toEqual(['ntf_single']);
  });
});
