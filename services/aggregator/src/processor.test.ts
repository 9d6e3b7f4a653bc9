import { unencodableTopics, type Ack, type Intent } from '@notify/schemas';
import type { Output } from '@notify/runner';
import { dispatches, Harness, intent, RECIPIENT, statuses, T0, verdicts } from './test-harness';
import { aggregatorChangelog } from './state/changelog';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Every output must be encodable with its topic's Avro schema, or the transaction would fail. */
const expectValidAvro = (outputs: Output[]): void => expect(unencodableTopics(outputs)).toEqual([]);

function ack(eventId: string, action = 'acknowledged'): Ack {
  return { tenant: 'acme', user_id: 'u1', notification_id: 'whatever', event_id: eventId, action, at: T0 };
}

describe('immediate intents', () => {
  it('releases one dispatch per channel with the contact point as address, and a queued status each', () => {
    const h = new Harness();
    h.recipient({ email: 'u1@example.com' });
    const i = intent('e1', { channels: ['inapp', 'email'] });
    const outputs = h.intent(i, T0);
    expect(outputs.filter((o) => o.topic.startsWith('notifications.dispatch.')).map((o) => [o.topic, o.key])).toEqual([
      ['notifications.dispatch.inapp', RECIPIENT],
      ['notifications.dispatch.email', RECIPIENT],
    ]);
    expect(dispatches(outputs).map((d) => [d.notification_id, d.idempotency_key, d.address])).toEqual([
      [i.notification_ids.inapp, i.notification_ids.inapp, null],
      [i.notification_ids.email, i.notification_ids.email, 'u1@example.com'],
    ]);
    expect(verdicts(outputs)).toEqual([
      ['queued', null],
      ['queued', null],
    ]);
    expectValidAvro(outputs);
  });

  it('addresses a push dispatch, alone or as a digest, to every subscription of the recipient as a JSON array', () => {
    const h = new Harness();
    const subscriptions = [
      { endpoint: 'https://push.example/phone', p256dh: 'k1', auth: 'a1' },
      { endpoint: 'https://push.example/laptop', p256dh: 'k2', auth: 'a2' },
    ];
    h.recipient({ push_subscriptions: subscriptions });
    const [single] = dispatches(h.intent(intent('e1', { channels: ['push'] }), T0));
    expect(JSON.parse(single?.address ?? 'null')).toEqual(subscriptions);
    h.intent(intent('e2', { channels: ['push'], batching: { window_ms: MINUTE, group_by: null, max_items: null } }), T0);
    const [digest] = dispatches(h.tick(T0 + MINUTE));
    expect(digest?.digest?.total).toBe(1);
    expect(JSON.parse(digest?.address ?? 'null')).toEqual(subscriptions);
  });

  it("writes dispatches and digests for the recipient's locale and time zone, and for UTC without a recipient record", () => {
    const h = new Harness();
    h.recipient({ timezone: 'Europe/Paris', locale: 'fr-CA' });
    const [single] = dispatches(h.intent(intent('e1', { channels: ['inapp'] }), T0));
    expect(single).toMatchObject({ locale: 'fr-CA', time_zone: 'Europe/Paris' });
    h.intent(intent('e2', { channels: ['inapp'], batching: { window_ms: MINUTE, group_by: null, max_items: null } }), T0);
    const closed = h.tick(T0 + MINUTE);
    expect(dispatches(closed)[0]).toMatchObject({ type: 'DIGEST', locale: 'fr-CA', time_zone: 'Europe/Paris' });
    expectValidAvro(closed);
    const [unknown] = dispatches(new Harness().intent(intent('e3', { channels: ['inapp'] }), T0));
    expect(unknown).toMatchObject({ locale: 'en', time_zone: null });
  });

  it('ignores the same intent delivered twice', () => {
    const h = new Harness();
    expect(dispatches(h.intent(intent('e1'), T0))).toHaveLength(1);
    expect(h.intent(intent('e1'), T0 + SECOND)).toEqual([]);
  });

  it('suppresses an unknown channel as no_route and delivers the others', () => {
    const h = new Harness();
    const outputs = h.intent(intent('e1', { channels: ['carrier-pigeon', 'inapp'] }), T0);
    expect(verdicts(outputs)).toEqual([
      ['suppressed', 'no_route'],
      ['queued', null],
    ]);
  });
});

describe('de-duplication', () => {
  it('suppresses a second dedupe_key for the same recipient within the window as duplicate, and allows it after', () => {
    const h = new Harness({ DEDUPE_WINDOW_MS: String(10 * MINUTE) });
    expect(verdicts(h.intent(intent('e1', { dedupe_key: 'order-1' }), T0))).toEqual([['queued', null]]);
    expect(verdicts(h.intent(intent('e2', { dedupe_key: 'order-1' }), T0 + MINUTE))).toEqual([['suppressed', 'duplicate']]);
    expect(verdicts(h.intent(intent('e3', { dedupe_key: 'order-1' }), T0 + 11 * MINUTE))).toEqual([['queued', null]]);
  });

  it('keeps dedupe keys per recipient', () => {
    const h = new Harness();
    h.intent(intent('e1', { dedupe_key: 'k' }), T0);
    expect(verdicts(h.intent(intent('e2', { dedupe_key: 'k', recipient: 'acme/u2', user_id: 'u2' }), T0))).toEqual([['queued', null]]);
  });
});

describe('rate limits', () => {
  it('suppresses non-critical messages beyond the per-minute budget as rate_limited', () => {
    const h = new Harness({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_HOUR: '100' });
    const results = [1, 2, 3, 4].map((n) => verdicts(h.intent(intent(`e${n}`), T0 + n)));
    expect(results).toEqual([[['queued', null]], [['queued', null]], [['queued', null]], [['suppressed', 'rate_limited']]]);
    expect(verdicts(h.intent(intent('e5'), T0 + MINUTE + 10))).toEqual([['queued', null]]);
  });

  it('applies the hourly budget', () => {
    const h = new Harness({ RATE_LIMIT_PER_MINUTE: '10', RATE_LIMIT_PER_HOUR: '2' });
    h.intent(intent('e1'), T0);
    h.intent(intent('e2'), T0 + 2 * MINUTE);
    expect(verdicts(h.intent(intent('e3'), T0 + 4 * MINUTE))).toEqual([['suppressed', 'rate_limited']]);
  });

  it('never drops critical alerts over their budget: they are collected into a short digest', () => {
    const h = new Harness({ CRITICAL_RATE_LIMIT_PER_MINUTE: '1', CRITICAL_OVERFLOW_WINDOW_MS: '30000' });
    expect(verdicts(h.intent(intent('c1', { severity: 'critical' }), T0))).toEqual([['queued', null]]);
    expect(verdicts(h.intent(intent('c2', { severity: 'critical' }), T0 + 1))).toEqual([['batched', null]]);
    expect(h.tick(T0 + 29 * SECOND)).toEqual([]);
    const closed = h.tick(T0 + 30 * SECOND + 1);
    expect(dispatches(closed).map((d) => d.digest?.items.map((m) => m.event_id))).toEqual([['c2']]);
  });
});

describe('preferences', () => {
  it('suppresses a channel the user turned off with reason preference', () => {
    const h = new Harness();
    h.preferences({ channels: { email: false } });
    h.recipient({});
    expect(verdicts(h.intent(intent('e1', { channels: ['email', 'inapp'] }), T0))).toEqual([
      ['suppressed', 'preference'],
      ['queued', null],
    ]);
  });

  it('suppresses SMS to an unverified phone even for mandatory intents', () => {
    const h = new Harness();
    h.recipient({ phone_verified: false });
    expect(verdicts(h.intent(intent('e1', { channels: ['sms'], mandatory: true, severity: 'critical' }), T0))).toEqual([
      ['suppressed', 'unverified'],
    ]);
  });

  it('applies per-type frequency limits from preferences', () => {
    const h = new Harness();
    h.preferences({ frequency_limits: { ORDER_FILLED: 1 } });
    h.intent(intent('e1'), T0);
    expect(verdicts(h.intent(intent('e2'), T0 + MINUTE))).toEqual([['suppressed', 'frequency_limited']]);
  });

  it('defers over quiet hours with a non-terminal batched status, and releases as queued when they end', () => {
    const h = new Harness();
    h.recipient({ timezone: 'UTC' });
    h.preferences({ quiet_hours: { start: '11:00', end: '13:00', timezone: null } });
    const i = intent('e1', { channels: ['email'] });
    const held = h.intent(i, T0);
    expect(statuses(held).map((s) => [s.status, s.reason, s.terminal])).toEqual([['batched', 'quiet_hours_deferred', false]]);
    expect(h.tick(T0 + 59 * MINUTE)).toEqual([]);
    const released = h.tick(Date.parse('2026-03-02T13:00:00Z'));
    expect(dispatches(released).map((d) => d.notification_id)).toEqual([i.notification_ids.email]);
    expect(verdicts(released)).toEqual([['queued', null]]);
  });
});

describe('digests', () => {
  const batching = { window_ms: 5 * MINUTE, group_by: null, max_items: null };

  it('collects batched intents and sends one digest with counts per type when the window closes on the clock', () => {
    const h = new Harness();
    const a = h.intent(intent('e1', { type: 'STOP_LOSS_TRIGGERED', batching }), T0);
    h.intent(intent('e2', { type: 'STOP_LOSS_TRIGGERED', batching }), T0 + SECOND);
    h.intent(intent('e3', { type: 'TRADE_EXECUTED', batching }), T0 + 2 * SECOND);
    expect(verdicts(a)).toEqual([['batched', null]]);
    expect(h.tick(T0 + 5 * MINUTE - 1)).toEqual([]);
    const closed = h.tick(T0 + 5 * MINUTE);
    const [digest] = dispatches(closed);
    expect(digest?.digest).toMatchObject({ total: 3, counts: { STOP_LOSS_TRIGGERED: 2, TRADE_EXECUTED: 1 } });
    expect(digest?.digest?.items.map((m) => m.event_id)).toEqual(['e1', 'e2', 'e3']);
    expect(JSON.parse(digest?.payload ?? '{}').summary).toBe('2 Stop Loss Triggered, 1 Trade Executed');
    expect(statuses(closed).map((s) => s.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    expectValidAvro(closed);
    expect(h.tick(T0 + 10 * MINUTE)).toEqual([]);
  });

  it('flushes early at max_items and starts a new window', () => {
    const h = new Harness();
    const policy = { window_ms: 5 * MINUTE, group_by: 'payload.symbol', max_items: 2 };
    h.intent(intent('e1', { batching: policy }), T0);
    const full = h.intent(intent('e2', { batching: policy }), T0 + 1);
    expect(dispatches(full).map((d) => d.digest?.total)).toEqual([2]);
    h.intent(intent('e3', { batching: policy, payload: '{"symbol":"MSFT"}' }), T0 + 2);
    h.intent(intent('e4', { batching: policy }), T0 + 3);
    const closed = h.tick(T0 + 5 * MINUTE + 3);
    expect(
      dispatches(closed)
        .map((d) => d.digest?.items.map((m) => m.event_id))
        .sort(),
    ).toEqual([['e3'], ['e4']]);
  });

  it('scales windows with BATCH_WINDOW_SCALE', () => {
    const h = new Harness({ BATCH_WINDOW_SCALE: '0.01' });
    h.intent(intent('e1', { batching }), T0);
    expect(dispatches(h.tick(T0 + 3 * SECOND))).toHaveLength(1);
  });
});

describe('inhibition', () => {
  const loss = (eventId: string, severity: 'critical' | 'warning', account: string, labels: Record<string, string> = {}) =>
    intent(eventId, { type: 'DAILY_LOSS', severity, payload: JSON.stringify({ account_id: account }), labels });

  it('suppresses warnings of the same type and account while a critical fires, until it resolves', () => {
    const h = new Harness();
    expect(verdicts(h.intent(loss('c1', 'critical', 'A1'), T0))).toEqual([['queued', null]]);
    expect(verdicts(h.intent(loss('w1', 'warning', 'A1'), T0 + 1))).toEqual([['suppressed', 'inhibited']]);
    expect(verdicts(h.intent(loss('w2', 'warning', 'B2'), T0 + 2))).toEqual([['queued', null]]);
    h.intent(loss('r1', 'critical', 'A1', { status: 'resolved' }), T0 + 3);
    expect(verdicts(h.intent(loss('w3', 'warning', 'A1'), T0 + 4))).toEqual([['queued', null]]);
  });

  it('ends a source after its time to live', () => {
    const h = new Harness({ INHIBIT_SOURCE_TTL_MS: String(MINUTE) });
    h.intent(loss('c1', 'critical', 'A1'), T0);
    expect(verdicts(h.intent(loss('w1', 'warning', 'A1'), T0 + MINUTE + 1))).toEqual([['queued', null]]);
  });

  describe("by a routing rule's inhibit labels", () => {
    // No configured rule at all: only the intents' own inhibit labels can silence anything.
    const NO_RULES = { INHIBIT_RULES: '[]' };
    const margin = (eventId: string, severity: 'critical' | 'warning' | 'info', symbol: string, over: Partial<Intent> = {}) =>
      intent(eventId, {
        type: 'MARGIN_CALL',
        severity,
        rule: 'Margin Call',
        payload: JSON.stringify({ account_id: 'A1', symbol }),
        ...over,
      });

    it('silences warnings of the same type with the same values of the labels while the critical fires, until it resolves', () => {
      const h = new Harness(NO_RULES);
      expect(verdicts(h.intent(margin('c1', 'critical', 'AAPL', { inhibit_labels: ['symbol'] }), T0))).toEqual([['queued', null]]);
      const inhibited = h.intent(margin('w1', 'warning', 'AAPL'), T0 + 1);
      expect(verdicts(inhibited)).toEqual([['suppressed', 'inhibited']]);
      expect(statuses(inhibited)[0]?.detail).toContain('inhibit_labels [type, symbol]');
      expect(verdicts(h.intent(margin('w2', 'warning', 'MSFT'), T0 + 2))).toEqual([['queued', null]]);
      expect(
        verdicts(h.intent(intent('w3', { type: 'DAILY_LOSS', severity: 'warning', payload: JSON.stringify({ symbol: 'AAPL' }) }), T0 + 3)),
      ).toEqual([['queued', null]]);
      expect(verdicts(h.intent(margin('i1', 'info', 'AAPL'), T0 + 4))).toEqual([['queued', null]]);
      h.intent(margin('r1', 'critical', 'AAPL', { labels: { status: 'resolved' } }), T0 + 5);
      expect(verdicts(h.intent(margin('w4', 'warning', 'AAPL'), T0 + 6))).toEqual([['queued', null]]);
    });

    it('silences nothing without inhibit labels, or when the critical lacks one of them', () => {
      const h = new Harness(NO_RULES);
      h.intent(margin('c1', 'critical', 'AAPL'), T0);
      expect(verdicts(h.intent(margin('w1', 'warning', 'AAPL'), T0 + 1))).toEqual([['queued', null]]);
      h.intent(intent('c2', { type: 'MARGIN_CALL', severity: 'critical', payload: '{}', inhibit_labels: ['symbol'] }), T0 + 2);
      expect(verdicts(h.intent(intent('w2', { type: 'MARGIN_CALL', severity: 'warning', payload: '{}' }), T0 + 3))).toEqual([
        ['queued', null],
      ]);
    });

    it('works beside the configured rules and keeps its source through the changelog', () => {
      const h = new Harness();
      h.intent(margin('c1', 'critical', 'AAPL', { inhibit_labels: ['symbol'] }), T0);
      const [source] = Object.values(h.state.peek(RECIPIENT)?.inhibitors ?? {}).filter((s) => s.equal);
      expect(source).toMatchObject({ eventId: 'c1', equal: ['type', 'symbol'] });
      expect(JSON.parse(JSON.stringify(h.state.peek(RECIPIENT))).inhibitors).toEqual(h.state.peek(RECIPIENT)?.inhibitors);
      // account_id A1 also matches the built-in rule; a warning for another account but the same symbol is silenced by the rule's labels alone.
      expect(
        verdicts(h.intent(margin('w1', 'warning', 'AAPL', { payload: JSON.stringify({ account_id: 'B2', symbol: 'AAPL' }) }), T0 + 1)),
      ).toEqual([['suppressed', 'inhibited']]);
    });

    it('ends its source after the time to live', () => {
      const h = new Harness({ ...NO_RULES, INHIBIT_SOURCE_TTL_MS: String(MINUTE) });
      h.intent(margin('c1', 'critical', 'AAPL', { inhibit_labels: ['symbol'] }), T0);
      expect(verdicts(h.intent(margin('w1', 'warning', 'AAPL'), T0 + MINUTE + 1))).toEqual([['queued', null]]);
    });
  });

  it('uses configured rules', () => {
    const h = new Harness({
      INHIBIT_RULES: JSON.stringify([{ source_matchers: ['type="OUTAGE"'], target_matchers: ['type=~"ORDER_.*"'], equal: ['region'] }]),
    });
    h.intent(intent('o1', { type: 'OUTAGE', labels: { region: 'eu' } }), T0);
    expect(verdicts(h.intent(intent('x1', { type: 'ORDER_FILLED', labels: { region: 'eu' } }), T0 + 1))).toEqual([
      ['suppressed', 'inhibited'],
    ]);
  });
});

describe('escalation', () => {
  const steps = [{ delay_ms: 5 * MINUTE, channels: ['sms'], condition: 'not_acknowledged' }];

  it('escalates to the step channels when no ack arrived within the delay', () => {
    const h = new Harness();
    h.recipient({});
    h.intent(intent('s1', { severity: 'critical', type: 'SECURITY_ALERT', channels: ['email'], escalation: steps }), T0);
    expect(h.tick(T0 + 5 * MINUTE - 1)).toEqual([]);
    const fired = h.tick(T0 + 5 * MINUTE);
    expect(dispatches(fired).map((d) => [d.channel, d.address])).toEqual([['sms', '+15555550100']]);
    expect(verdicts(fired)).toEqual([['escalated', null]]);
    expect(h.tick(T0 + 60 * MINUTE)).toEqual([]);
  });

  it('an ack cancels pending steps', () => {
    const h = new Harness();
    h.recipient({});
    h.intent(intent('s1', { severity: 'critical', channels: ['email'], escalation: steps }), T0);
    h.ack(ack('s1'), T0 + MINUTE);
    expect(h.tick(T0 + 6 * MINUTE)).toEqual([]);
  });

  it('a read does not cancel a not_acknowledged step', () => {
    const h = new Harness();
    h.recipient({});
    h.intent(intent('s1', { severity: 'critical', channels: ['email'], escalation: steps }), T0);
    h.ack(ack('s1', 'read'), T0 + MINUTE);
    expect(dispatches(h.tick(T0 + 6 * MINUTE))).toHaveLength(1);
  });
});

describe('state', () => {
  it('round-trips through the changelog and forgets idle recipients with a tombstone', () => {
    const h = new Harness({ DEDUPE_WINDOW_MS: String(MINUTE) });
    h.intent(intent('e1', { batching: { window_ms: MINUTE, group_by: null, max_items: null } }), T0);
    const state = h.state.peek(RECIPIENT);
    const encoded = aggregatorChangelog.encode(RECIPIENT, state, T0);
    expect(encoded && aggregatorChangelog.decode(encoded)).toEqual(state);
    h.tick(T0 + MINUTE);
    h.tick(T0 + 61 * MINUTE);
    expect(h.state.peek(RECIPIENT)).toBeUndefined();
    expect(aggregatorChangelog.encode(RECIPIENT, undefined, T0)).toBeNull();
  });
});
