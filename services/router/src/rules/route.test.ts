import type { Intent } from '@notify/schemas';
import { compileRuleSet } from './compile-rule-set';
import { route } from './route';
import type { RouteDecision } from './rule-types';
import { testEvent } from './test-event';

const NO_RULES = compileRuleSet('rules: []\n', 'empty.yaml');

describe('default routing by severity (built-in table)', () => {
  it.each<[Intent['severity'], string[], number | null, string]>([
    ['critical', ['inapp', 'email', 'sms', 'push', 'discord'], null, 'high'],
    ['warning', ['inapp', 'email', 'discord'], 300_000, 'normal'],
    ['info', ['inapp', 'email', 'discord'], 3_600_000, 'normal'],
    ['success', ['inapp', 'discord'], 1_800_000, 'normal'],
  ])('%s goes to %j, window %j, priority %s; only critical goes through quiet hours', (severity, channels, windowMs, priority) => {
    const decision = route(testEvent({ severity, type: 'SOMETHING_ELSE' }), NO_RULES);
    expect(decision).toEqual<RouteDecision>({
      rule: null,
      matched_rules: [],
      channels,
      template: '',
      priority: priority === 'high' ? 'high' : 'normal',
      bypass_quiet_hours: severity === 'critical',
      mandatory: false,
      batching: windowMs === null ? null : { window_ms: windowMs, group_by: null, max_items: null },
      escalation: [],
      inhibit_labels: [],
      team: 'team',
    });
  });

  it("uses the file's own defaults, and the built-in ones for severities it leaves out", () => {
    const set = compileRuleSet(
      'defaults:\n  high: { channels: [inapp, webhook], priority: urgent, bypass_quiet_hours: true, mandatory: true }\n  info: { channels: [webhook], batch_window: 10m }\n',
      'd.yaml',
    );
    expect(route(testEvent({ severity: 'critical' }), set)).toMatchObject({
      channels: ['inapp', 'webhook'],
      priority: 'urgent',
      bypass_quiet_hours: true,
      mandatory: true,
      batching: null,
    });
    expect(route(testEvent({ severity: 'info' }), set)).toMatchObject({ channels: ['webhook'], batching: { window_ms: 600_000 } });
    expect(route(testEvent({ severity: 'success' }), set)).toMatchObject({
      channels: ['inapp', 'discord'],
      batching: { window_ms: 1_800_000 },
    });
  });

  it('gives a declared critical entry priority high unless it says otherwise', () => {
    const set = compileRuleSet('defaults:\n  critical: { channels: [inapp] }\n  warning: { channels: [inapp] }\n', 'd.yaml');
    expect(route(testEvent({ severity: 'critical' }), set)?.priority).toBe('high');
    expect(route(testEvent({ severity: 'warning' }), set)?.priority).toBe('normal');
  });
});

describe('rules', () => {
  const set = compileRuleSet(
    `
rules:
  - name: Big fill
    event_type: ORDER_FILLED
    conditions:
      - { field: payload.quantity, operator: gte, value: 1000 }
    actions:
      - { channels: [inapp, sms], template: order.big_fill }
  - name: Any fill
    event_type: "ORDER_*"
    actions:
      - { channels: [inapp] }
  - name: Never reached for fills
    event_type: "*"
    actions:
      - { channels: [email] }
`,
    'r.yaml',
  );

  it('first match wins, in file order', () => {
    const big = route(testEvent({ payloadObject: { quantity: 5000 } }), set);
    expect(big).toMatchObject({ rule: 'Big fill', matched_rules: ['Big fill'], channels: ['inapp', 'sms'], template: 'order.big_fill' });
    const small = route(testEvent({ payloadObject: { quantity: 5 } }), set);
    expect(small).toMatchObject({ rule: 'Any fill', channels: ['inapp'] });
    expect(route(testEvent({ type: 'PRICE_ALERT' }), set)).toMatchObject({ rule: 'Never reached for fills', channels: ['email'] });
  });

  it('leaves the template id empty when the rule names none (channel workers go by the event type), and the priority to the severity default', () => {
    expect(route(testEvent({ type: 'ORDER_CANCELLED', severity: 'info' }), set)).toMatchObject({ template: '', priority: 'normal' });
    expect(route(testEvent({ type: 'ORDER_CANCELLED', severity: 'critical' }), set)).toMatchObject({ priority: 'high' });
  });

  it('all conditions must hold', () => {
    const both = compileRuleSet(
      `
rules:
  - name: both
    event_type: "*"
    conditions:
      - { field: payload.symbol, operator: eq, value: AAPL }
      - { field: payload.quantity, operator: gt, value: 10 }
    actions: [{ channels: [inapp] }]
`,
      'b.yaml',
    );
    expect(route(testEvent({ payloadObject: { symbol: 'AAPL', quantity: 11 } }), both)?.rule).toBe('both');
    expect(route(testEvent({ payloadObject: { symbol: 'AAPL', quantity: 10 } }), both)?.rule).toBeNull();
    expect(route(testEvent({ payloadObject: { symbol: 'MSFT', quantity: 11 } }), both)?.rule).toBeNull();
  });

  it('maps a rule action onto the Intent fields', () => {
    const margin = compileRuleSet(
      `
rules:
  - name: Margin Call
    event_type: MARGIN_CALL
    actions:
      - type: notify
        channels: [inapp, sms, voice, email]
        template: risk.margin_call
        priority: high
        bypass_quiet_hours: true
        mandatory: true
        batching: { window: 5m, group_by: payload.symbol, max_items: 20 }
        inhibit_labels: [account_id]
        escalation:
          - { delay: 5m, channels: [sms], condition: not_acknowledged }
`,
      'm.yaml',
    );
    expect(route(testEvent({ type: 'MARGIN_CALL', severity: 'critical' }), margin)).toEqual<RouteDecision>({
      rule: 'Margin Call',
      matched_rules: ['Margin Call'],
      channels: ['inapp', 'sms', 'voice', 'email'],
      template: 'risk.margin_call',
      priority: 'high',
      bypass_quiet_hours: true,
      mandatory: true,
      batching: { window_ms: 300_000, group_by: 'payload.symbol', max_items: 20 },
      escalation: [{ delay_ms: 300_000, channels: ['sms'], condition: 'not_acknowledged' }],
      inhibit_labels: ['account_id'],
      team: 'team',
    });
  });

  it('hands out copies, so a caller editing a decision cannot change the rules', () => {
    const first = route(testEvent({ payloadObject: { quantity: 5000 } }), set);
    first?.channels.push('voice');
    expect(route(testEvent({ payloadObject: { quantity: 5000 } }), set)?.channels).toEqual(['inapp', 'sms']);
  });
});

describe('stop: false and suppress', () => {
  const set = compileRuleSet(
    `
rules:
  - name: Drop debug
    event_type: "DEBUG_*"
    actions: [{ type: suppress }]
  - name: Audit copy
    event_type: "RISK_*"
    stop: false
    actions:
      - channels: [webhook]
        priority: low
        inhibit_labels: [account_id]
        escalation: [{ delay: 30m, channels: [email] }]
  - name: Risk
    event_type: "RISK_*"
    actions:
      - channels: [inapp, sms, webhook]
        template: risk.generic
        priority: high
        batching: { window: 1m }
        mandatory: true
        escalation: [{ delay: 5m, channels: [sms] }]
      - channels: [voice]
        inhibit_labels: [account_id, symbol]
  - name: After the stop
    event_type: "RISK_*"
    actions: [{ channels: [email] }]
`,
    's.yaml',
  );

  it('lets later matching rules add to the decision; the first rule names it', () => {
    expect(route(testEvent({ type: 'RISK_LIMIT', severity: 'warning' }), set)).toEqual<RouteDecision>({
      rule: 'Audit copy',
      matched_rules: ['Audit copy', 'Risk'],
      channels: ['webhook', 'inapp', 'sms', 'voice'],
      template: 'risk.generic',
      priority: 'high',
      bypass_quiet_hours: false,
      mandatory: true,
      batching: { window_ms: 60_000, group_by: null, max_items: null },
      escalation: [
        { delay_ms: 300_000, channels: ['sms'], condition: 'not_acknowledged' },
        { delay_ms: 1_800_000, channels: ['email'], condition: 'not_acknowledged' },
      ],
      inhibit_labels: ['account_id', 'symbol'],
      team: 'team',
    });
  });

  it('takes the team from the first action that names one', () => {
    const teams = compileRuleSet(
      `
rules:
  - name: Copy to ops
    event_type: "RISK_*"
    stop: false
    actions: [{ channels: [email] }, { channels: [pagerduty], team: ops }]
  - name: Risk desk
    event_type: "RISK_*"
    actions: [{ channels: [slack], team: risk }]
`,
      't.yaml',
    );
    expect(route(testEvent({ type: 'RISK_LIMIT' }), teams)).toMatchObject({ channels: ['email', 'pagerduty', 'slack'], team: 'ops' });
  });

  it('routes a suppressed event nowhere', () => {
    expect(route(testEvent({ type: 'DEBUG_TRACE' }), set)).toBeNull();
  });
});
