import { InvalidInputError } from '@notify/errors';
import { createLogger, createMetrics, type HandlerContext, type InputRecord, type Output } from '@notify/runner';
import {
  intentId,
  notificationId,
  unencodableTopics,
  type AcceptedEvent,
  type DeliveryStatus,
  type FanoutPage,
  type Intent,
} from '@notify/schemas';
import { createRouterHandler, STAGE, type Router } from './handler';
import { compileRuleSet } from './rules/compile-rule-set';
import { RuleBook } from './rules/rule-book';
import { testEvent } from './rules/test-event';
import { ORDER_FILLED_RULE } from '../../../tests/support/seed';

const NOW = 1_700_000_002_000;
const ctx: HandlerContext = { log: createLogger('router-test', 'silent'), metrics: createMetrics('router-test') };

const ACME_RULES = `
tenant: acme
defaults:
  info: { channels: [inapp], batch_window: 0 }
rules:
${ORDER_FILLED_RULE}
  - name: "Quiet heartbeat"
    event_type: "HEARTBEAT"
    actions:
      - { type: "suppress" }
  - name: "Margin Call"
    event_type: "MARGIN_CALL"
    conditions:
      - { field: "severity", operator: "eq", value: "critical" }
    actions:
      - { channels: [sms, email], priority: urgent, bypass_quiet_hours: true, mandatory: true, batching: { window: 5m, group_by: payload.account_id }, inhibit_labels: [account_id] }
`;

const book = new RuleBook([compileRuleSet(ACME_RULES, 'acme.yaml')]);

function record(value: AcceptedEvent): InputRecord<AcceptedEvent> {
  return { topic: 'notifications.accepted', partition: 1, offset: '7', key: value.event_id, value, headers: {}, timestamp: 0 };
}

async function route(event: AcceptedEvent, rules: Router = book): Promise<Output[]> {
  return createRouterHandler({ rules: () => rules, now: () => NOW }).handle(record(event), ctx);
}

const intents = (outputs: Output[]) => outputs.filter((o) => o.topic === 'notifications.intents').map((o) => o.value as Intent);
const pages = (outputs: Output[]) =>
  outputs.filter((o) => o.topic === 'notifications.fanout').map((o) => ({ key: o.key, value: o.value as FanoutPage }));
const statuses = (outputs: Output[]) =>
  outputs.filter((o) => o.topic === 'notifications.delivery-status').map((o) => ({ key: o.key, value: o.value as DeliveryStatus }));

/** Every output must be encodable with its topic's Avro schema, or the transaction would fail. */
const expectValidAvro = (outputs: Output[]): void => expect(unencodableTopics(outputs)).toEqual([]);

describe('router handler', () => {
  const fill = testEvent({
    event_id: 'evt-fill',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'low',
    recipients: ['u2'],
    payloadObject: { user_id: 'u1', symbol: 'AAPL' },
  });

  it('emits one intent per recipient, keyed by recipient, with the matching rule decision', async () => {
    const outputs = await route(fill);
    const found = intents(outputs);
    expect(found.map((i) => i.recipient).sort()).toEqual(['acme/u1', 'acme/u2']);
    for (const o of outputs.filter((x) => x.topic === 'notifications.intents')) expect(o.key).toBe((o.value as Intent).recipient);
    for (const i of found) {
      expect(i).toMatchObject({
        event_id: 'evt-fill',
        tenant: 'acme',
        type: 'ORDER_FILLED',
        severity: 'info',
        severity_label: 'low',
        rule: 'Order Filled',
        channels: ['inapp', 'webhook'],
        template: 'order.filled',
        priority: 'normal',
        batching: null,
        routed_at: NOW,
        payload: fill.payload,
        occurred_at: fill.occurred_at,
      });
      expect(i.user_id).toBe(i.recipient.split('/')[1]);
    }
    expectValidAvro(outputs);
  });

  it('derives intent and notification ids deterministically from event, recipient and channel', async () => {
    const [first, second] = [await route(fill), await route(fill)];
    expect(first).toEqual(second);
    const u1 = intents(first).find((i) => i.recipient === 'acme/u1');
    expect(u1?.intent_id).toBe(intentId('evt-fill', 'acme/u1'));
    expect(u1?.notification_ids).toEqual({
      inapp: notificationId('evt-fill', 'acme/u1', 'inapp'),
      webhook: notificationId('evt-fill', 'acme/u1', 'webhook'),
    });
    const all = intents(first).flatMap((i) => Object.values(i.notification_ids));
    expect(new Set(all).size).toBe(4);
  });

  it('reports a routed status per recipient and channel, keyed by notification id', async () => {
    const outputs = await route(fill);
    const routed = statuses(outputs);
    expect(routed).toHaveLength(4);
    for (const i of intents(outputs)) {
      for (const channel of i.channels) {
        const id = i.notification_ids[channel];
        const s = routed.find((r) => r.key === id);
        expect(s?.value).toMatchObject({
          notification_id: id,
          event_id: 'evt-fill',
          tenant: 'acme',
          recipient: i.recipient,
          channel,
          type: 'ORDER_FILLED',
          status: 'routed',
          stage: STAGE,
          terminal: false,
          detail: 'rule Order Filled',
          at: NOW,
        });
      }
    }
  });

  it('counts a recipient named both explicitly and as payload.user_id once', async () => {
    const outputs = await route(testEvent({ event_id: 'evt-dup', recipients: ['u1', 'u1'], payloadObject: { user_id: 'u1' } }));
    expect(intents(outputs).map((i) => i.recipient)).toEqual(['acme/u1']);
  });

  it('carries the rule priority, flags, batching and inhibit labels onto the intent', async () => {
    const margin = testEvent({
      event_id: 'evt-mc',
      type: 'MARGIN_CALL',
      severity: 'critical',
      severity_label: 'urgent',
      recipients: [],
      payloadObject: { user_id: 'u9', account_id: 'acc789' },
    });
    const outputs = await route(margin);
    expect(intents(outputs)).toEqual([
      expect.objectContaining({
        recipient: 'acme/u9',
        rule: 'Margin Call',
        channels: ['sms', 'email'],
        template: '',
        priority: 'urgent',
        bypass_quiet_hours: true,
        mandatory: true,
        batching: { window_ms: 300_000, group_by: 'payload.account_id', max_items: null },
        inhibit_labels: ['account_id'],
      }),
    ]);
    expectValidAvro(outputs);
  });

  it('uses the tenant default routing when no rule matches, and says so', async () => {
    const outputs = await route(
      testEvent({ event_id: 'evt-other', type: 'SOMETHING_ELSE', severity: 'info', recipients: ['u1'], payloadObject: {} }),
    );
    expect(intents(outputs)).toEqual([expect.objectContaining({ rule: null, channels: ['inapp'], template: '' })]);
    expect(statuses(outputs).map((s) => s.value.detail)).toEqual(['default routing']);
  });

  it('routes a tenant without rules with the built-in defaults', async () => {
    const outputs = await route(
      testEvent({ event_id: 'evt-g', tenant: 'globex', severity: 'critical', recipients: ['u1'], payloadObject: {} }),
    );
    const [i] = intents(outputs);
    expect(i).toMatchObject({
      recipient: 'globex/u1',
      tenant: 'globex',
      channels: ['inapp', 'email', 'sms', 'push', 'discord'],
      priority: 'high',
    });
    expect(statuses(outputs)).toHaveLength(5);
  });

  it('ends an event that reaches nobody with one terminal no_recipients status', async () => {
    const outputs = await route(testEvent({ event_id: 'evt-none', recipients: [], payloadObject: { symbol: 'AAPL' } }));
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({
      topic: 'notifications.delivery-status',
      key: 'evt-none',
      value: {
        notification_id: 'evt-none',
        event_id: 'evt-none',
        status: 'suppressed',
        reason: 'no_recipients',
        terminal: true,
        recipient: null,
        channel: null,
        stage: STAGE,
      },
    });
    expectValidAvro(outputs);
  });

  it.each([
    ['a user id containing /', { user_id: 'a/b' }],
    ['an empty user id', { user_id: '' }],
    ['a user id that is an object', { user_id: { id: 'u1' } }],
  ])('does not take %s from the payload as a recipient', async (_what, payloadObject) => {
    const outputs = await route(testEvent({ event_id: 'evt-bad-user', recipients: [], payloadObject }));
    expect(statuses(outputs).map((s) => s.value.reason)).toEqual(['no_recipients']);
  });

  it('accepts a numeric payload user id', async () => {
    const outputs = await route(testEvent({ event_id: 'evt-num', recipients: [], payloadObject: { user_id: 12345 } }));
    expect(intents(outputs).map((i) => i.recipient)).toEqual(['acme/12345']);
  });

  it('ends an event a rule suppresses with one terminal no_route status', async () => {
    const outputs = await route(testEvent({ event_id: 'evt-hb', type: 'HEARTBEAT', recipients: ['u1'] }));
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.value).toMatchObject({
      status: 'suppressed',
      reason: 'no_route',
      terminal: true,
      detail: 'a rule suppresses this event',
    });
  });

  it('rejects an event whose payload is not a JSON object as invalid input', async () => {
    const bad = { ...testEvent({ event_id: 'evt-arr', recipients: [] }), payload: '[1,2]' };
    await expect(route(bad)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(route(bad)).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('asks for the rules on every record, so a reload applies to the next one', async () => {
    let current = book;
    const handler = createRouterHandler({ rules: () => current, now: () => NOW });
    const event = testEvent({ event_id: 'evt-reload', type: 'ORDER_FILLED', severity: 'info', recipients: ['u1'], payloadObject: {} });
    expect(intents(await handler.handle(record(event), ctx))[0]?.rule).toBe('Order Filled');
    current = new RuleBook([
      compileRuleSet(
        'tenant: acme\nrules:\n  - { name: Fills to email, event_type: ORDER_FILLED, actions: [{ channels: [email] }] }\n',
        'acme.yaml',
      ),
    ]);
    expect(intents(await handler.handle(record(event), ctx))[0]).toMatchObject({ rule: 'Fills to email', channels: ['email'] });
  });

  describe('with team channels', () => {
    const teamBook = new RuleBook([
      compileRuleSet(
        `
tenant: acme
rules:
  - name: Risk to the desk
    event_type: RISK_BREACH
    actions:
      - { channels: [inapp, slack, pagerduty], escalation: [{ delay: 5m, channels: [sms] }] }
  - name: Desk alerts
    event_type: DESK_ALERT
    actions:
      - { channels: [slack], team: risk }
`,
        'acme.yaml',
      ),
    ]);
    const breach = (over: Parameters<typeof testEvent>[0] = {}) =>
      testEvent({
        event_id: 'evt-breach',
        type: 'RISK_BREACH',
        severity: 'critical',
        recipients: ['u1', 'u2', 'u3'],
        payloadObject: { desk: 'rates' },
        ...over,
      });

    it('emits one team intent per event for the team channels, however many recipients, with routed statuses for it', async () => {
      const outputs = await route(breach(), teamBook);
      const team = intents(outputs).filter((i) => i.user_id.startsWith('#'));
      expect(team).toEqual([
        expect.objectContaining({
          intent_id: intentId('evt-breach', 'acme/#team'),
          recipient: 'acme/#team',
          user_id: '#team',
          channels: ['slack', 'pagerduty'],
          notification_ids: {
            slack: notificationId('evt-breach', 'acme/#team', 'slack'),
            pagerduty: notificationId('evt-breach', 'acme/#team', 'pagerduty'),
          },
          escalation: [],
          team_channels: [],
          rule: 'Risk to the desk',
        }),
      ]);
      expect(outputs.find((o) => o.topic === 'notifications.intents' && (o.value as Intent).user_id === '#team')?.key).toBe('acme/#team');
      const teamRouted = statuses(outputs).filter((s) => s.value.recipient === 'acme/#team');
      expect(teamRouted.map((s) => [s.key, s.value.channel, s.value.status])).toEqual([
        [notificationId('evt-breach', 'acme/#team', 'slack'), 'slack', 'routed'],
        [notificationId('evt-breach', 'acme/#team', 'pagerduty'), 'pagerduty', 'routed'],
      ]);
      expectValidAvro(outputs);
    });

    it('gives people intents listing the team channels, and reports routed only for their other channels', async () => {
      const outputs = await route(breach(), teamBook);
      const people = intents(outputs).filter((i) => !i.user_id.startsWith('#'));
      expect(people.map((i) => i.recipient)).toEqual(['acme/u1', 'acme/u2', 'acme/u3']);
      for (const i of people) {
        expect(i).toMatchObject({
          channels: ['inapp', 'slack', 'pagerduty'],
          team_channels: ['slack', 'pagerduty'],
          escalation: [{ delay_ms: 300_000, channels: ['sms'] }],
        });
      }
      const personRouted = statuses(outputs).filter((s) => s.value.recipient !== 'acme/#team');
      expect(personRouted.map((s) => [s.value.recipient, s.value.channel])).toEqual([
        ['acme/u1', 'inapp'],
        ['acme/u2', 'inapp'],
        ['acme/u3', 'inapp'],
      ]);
    });

    it("names the team the rule's action names", async () => {
      const outputs = await route(testEvent({ event_id: 'evt-desk', type: 'DESK_ALERT', recipients: ['u1'] }), teamBook);
      expect(intents(outputs).map((i) => [i.recipient, i.channels, i.team_channels])).toEqual([
        ['acme/u1', ['slack'], ['slack']],
        ['acme/#risk', ['slack'], []],
      ]);
      expect(statuses(outputs).map((s) => s.value.recipient)).toEqual(['acme/#risk']);
    });

    it('reaches the team of an event that names nobody, and does not suppress it', async () => {
      const outputs = await route(breach({ recipients: [], payloadObject: {} }), teamBook);
      expect(intents(outputs).map((i) => i.recipient)).toEqual(['acme/#team']);
      expect(statuses(outputs).map((s) => [s.value.status, s.value.channel])).toEqual([
        ['routed', 'slack'],
        ['routed', 'pagerduty'],
      ]);
    });

    it('writes the team intent once, before fan-out, and counts the team as reached so an empty audience is not no_recipients', async () => {
      const outputs = await route(breach({ recipients: ['u1'], audience: 'tier:TIER_1' }), teamBook);
      expect(intents(outputs).map((i) => i.recipient)).toEqual(['acme/u1', 'acme/#team']);
      expect(pages(outputs)[0]?.value).toMatchObject({
        skip_user_ids: ['u1'],
        reached: 2,
        decision: { channels: ['inapp', 'slack', 'pagerduty'] },
      });
      expectValidAvro(outputs);
    });

    it('takes no person for a team: a # user id named by the producer is left out', async () => {
      const outputs = await route(breach({ recipients: ['#team', 'u1'], payloadObject: { user_id: '#risk' } }), teamBook);
      expect(intents(outputs).map((i) => i.recipient)).toEqual(['acme/u1', 'acme/#team']);
    });

    it('makes no team intent for a decision without team channels', async () => {
      expect(intents(await route(fill)).every((i) => i.team_channels.length === 0 && !i.user_id.startsWith('#'))).toBe(true);
    });
  });

  describe('with an audience', () => {
    const alert = testEvent({
      event_id: 'evt-scarcity',
      type: 'ORDER_FILLED',
      severity: 'info',
      recipients: ['vip'],
      audience: 'tier:TIER_1, tier:TIER_2',
      payloadObject: { user_id: 'u1', deal: 'SpaceX Secondary Series N' },
    });

    it('routes the direct recipients now and hands the audience to fan-out as a first page keyed by event id', async () => {
      const outputs = await route(alert);
      expect(
        intents(outputs)
          .map((i) => i.recipient)
          .sort(),
      ).toEqual(['acme/u1', 'acme/vip']);
      const found = pages(outputs);
      expect(found).toHaveLength(1);
      expect(found[0]?.key).toBe('evt-scarcity');
      expect(found[0]?.value).toEqual({
        event: alert,
        decision: {
          rule: 'Order Filled',
          channels: ['inapp', 'webhook'],
          template: 'order.filled',
          priority: 'normal',
          bypass_quiet_hours: false,
          mandatory: false,
          batching: null,
          escalation: [],
          inhibit_labels: [],
        },
        audiences: ['tier:TIER_1', 'tier:TIER_2'],
        after_user_id: null,
        page: 0,
        skip_user_ids: ['vip', 'u1'],
        reached: 2,
        started_at: NOW,
      });
      expectValidAvro(outputs);
    });

    it("hands the rule's inhibit labels to fan-out, so audience members get them on their intents too", async () => {
      const margin = testEvent({
        event_id: 'evt-mc-aud',
        type: 'MARGIN_CALL',
        severity: 'critical',
        recipients: [],
        audience: 'tier:TIER_1',
        payloadObject: { account_id: 'acc789' },
      });
      const outputs = await route(margin);
      expect(pages(outputs)[0]?.value.decision.inhibit_labels).toEqual(['account_id']);
      expectValidAvro(outputs);
    });

    it('leaves an audience-only event to fan-out, which decides whether anyone was reached', async () => {
      const outputs = await route(testEvent({ event_id: 'evt-aud', recipients: [], audience: 'tier:TIER_1_SFO', payloadObject: {} }));
      expect(outputs.map((o) => o.topic)).toEqual(['notifications.fanout']);
      expect(pages(outputs)[0]?.value).toMatchObject({ audiences: ['tier:TIER_1_SFO'], skip_user_ids: [], reached: 0 });
    });

    it('does not start a fan-out for an event a rule suppresses', async () => {
      const outputs = await route(testEvent({ event_id: 'evt-hb-aud', type: 'HEARTBEAT', recipients: [], audience: 'tier:TIER_1' }));
      expect(outputs.map((o) => o.topic)).toEqual(['notifications.delivery-status']);
    });

    it('treats a blank audience as none', async () => {
      const outputs = await route(testEvent({ event_id: 'evt-blank', recipients: [], audience: ' ', payloadObject: {} }));
      expect(statuses(outputs).map((s) => s.value.reason)).toEqual(['no_recipients']);
    });
  });
});
