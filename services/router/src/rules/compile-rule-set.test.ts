import { compileRuleSet } from './compile-rule-set';
import { RuleFileError } from './rule-file-error';

/** Seed 001's two rules, verbatim. */
const SEED_001 = `rules:
  - name: "Order Filled"
    event_type: "ORDER_FILLED"
    conditions:
      - field: "severity"
        operator: "gte"
        value: "low"
    actions:
      - type: "notify"
        channels: ["inapp", "email"]
        template: "order.filled"
        priority: "normal"

  - name: "Margin Call"
    event_type: "MARGIN_CALL"
    conditions:
      - field: "severity"
        operator: "eq"
        value: "critical"
    actions:
      - type: "notify"
        channels: ["inapp", "sms", "voice", "email"]
        template: "risk.margin_call"
        priority: "high"
        bypass_quiet_hours: true
`;

function rejection(text: string, file = 'tenant.yaml'): RuleFileError {
  try {
    compileRuleSet(text, file);
  } catch (error) {
    if (error instanceof RuleFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

/** A file whose one rule is the given lines; the rule starts on line 2. */
function oneRule(...ruleLines: string[]): string {
  return ['rules:', ...ruleLines].join('\n');
}

describe('compileRuleSet accepts', () => {
  it("seed 001's shape unchanged, for the default tenant", () => {
    const set = compileRuleSet(SEED_001, 'seed.yaml');
    expect(set.tenant).toBe('default');
    expect(set.file).toBe('seed.yaml');
    expect(set.rules.map((rule) => [rule.name, rule.line, rule.stop])).toEqual([
      ['Order Filled', 2, true],
      ['Margin Call', 14, true],
    ]);
  });

  it('the extended shape: tenant, defaults, batching, escalation, inhibit labels, lists of event types', () => {
    const set = compileRuleSet(
      `
tenant: acme
defaults:
  critical: { channels: [inapp, pagerduty], batch_window: 0 }
  medium: { channels: [inapp], batch_window: 90 }
rules:
  - name: Risk
    event_type: ["RISK_*", MARGIN_CALL]
    actions:
      - type: notify
        channels: [inapp, sms, sms]
        mandatory: true
        batching: { window: 1h30m, group_by: payload.symbol, max_items: 20 }
        inhibit_labels: [account_id]
        escalation:
          - { delay: 15m, channels: [voice] }
          - { delay: 5m, channels: [sms], condition: not_delivered }
    stop: false
`,
      'acme.yaml',
    );
    expect(set.tenant).toBe('acme');
    expect(set.declaredDefaults.critical?.channels).toEqual(['inapp', 'pagerduty']);
    expect(set.declaredDefaults.warning?.batchWindowMs).toBe(90_000);
    expect(set.defaults.info.channels).toEqual(['inapp', 'email', 'discord']);
    const [rule] = set.rules;
    expect(rule?.matchesType('RISK_LIMIT')).toBe(true);
    expect(rule?.matchesType('MARGIN_CALL')).toBe(true);
    expect(rule?.stop).toBe(false);
    expect(rule?.actions[0]).toMatchObject({
      kind: 'notify',
      channels: ['inapp', 'sms'],
      mandatory: true,
      batching: { window_ms: 5_400_000, group_by: 'payload.symbol', max_items: 20 },
      inhibitLabels: ['account_id'],
      escalation: [
        { delay_ms: 300_000, channels: ['sms'], condition: 'not_delivered' },
        { delay_ms: 900_000, channels: ['voice'], condition: 'not_acknowledged' },
      ],
    });
  });

  it('a team on an action with a team channel, and none (the default team) when it names none', () => {
    const set = compileRuleSet(
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - { channels: [inapp, slack], team: risk-desk_2 }',
        '      - { channels: [pagerduty] }',
      ),
      'f.yaml',
    );
    expect(set.rules[0]?.actions).toMatchObject([
      { kind: 'notify', team: 'risk-desk_2' },
      { kind: 'notify', team: undefined },
    ]);
  });

  it('a zero batching window as immediate delivery', () => {
    const set = compileRuleSet(
      oneRule('  - name: r', '    event_type: X', '    actions: [{ channels: [inapp], batching: { window: 0s } }]'),
      'f.yaml',
    );
    expect(set.rules[0]?.actions[0]).toMatchObject({ kind: 'notify', batching: null });
  });

  it('a file with defaults and no rules', () => {
    expect(compileRuleSet('defaults:\n  info: { channels: [inapp] }\n', 'f.yaml').rules).toEqual([]);
  });
});

describe('compileRuleSet rejects, at the right line', () => {
  it.each<[string, string, number, RegExp]>([
    ['a YAML syntax error', 'rules:\n  - name: a\n    event_type: [X,\n  - name: b\n', 4, /YAML syntax error/],
    ['a duplicated key', 'rules:\n  - name: a\n    name: b\n', 3, /duplicated mapping key/],
    ['an empty file', '# nothing\n', 1, /empty/],
    ['a top-level list', '- a\n- b\n', 1, /expected a mapping/],
    ['an unknown top-level key', 'tenant: x\nrulez: []\n', 2, /rulez: unknown key/],
    ['a missing name', oneRule('  - event_type: X', '    actions: [{ channels: [inapp] }]'), 2, /"name" is required/],
    ['a missing event_type', oneRule('  - name: r', '    actions: [{ channels: [inapp] }]'), 2, /"event_type" is required/],
    ['missing actions', oneRule('  - name: r', '    event_type: X'), 2, /"actions" is required/],
    ['an empty action list', oneRule('  - name: r', '    event_type: X', '    actions: []'), 4, /at least one action/],
    [
      'an unknown rule key',
      oneRule('  - name: r', '    event_type: X', '    stopp: true', '    actions: [{ channels: [inapp] }]'),
      4,
      /rules\[0\]\.stopp: unknown key/,
    ],
    [
      'an unknown operator',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: severity',
        '        operator: gtee',
        '        value: low',
        '    actions: [{ channels: [inapp] }]',
      ),
      6,
      /unknown operator "gtee"/,
    ],
    [
      'an unknown field',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: sevrity',
        '        operator: eq',
        '        value: low',
        '    actions: [{ channels: [inapp] }]',
      ),
      5,
      /unknown field "sevrity"/,
    ],
    [
      'an unknown severity value',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: severity',
        '        operator: gte',
        '        value: lowish',
        '    actions: [{ channels: [inapp] }]',
      ),
      7,
      /unknown severity "lowish"/,
    ],
    [
      'contains on severity',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - { field: severity, operator: contains, value: crit }',
        '    actions: [{ channels: [inapp] }]',
      ),
      5,
      /does not apply to severity/,
    ],
    [
      'in without a list',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: payload.side',
        '        operator: in',
        '        value: buy',
        '    actions: [{ channels: [inapp] }]',
      ),
      7,
      /expected a list/,
    ],
    [
      'a bad regular expression',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: type',
        '        operator: matches',
        '        value: "(unclosed"',
        '    actions: [{ channels: [inapp] }]',
      ),
      7,
      /invalid regular expression/,
    ],
    [
      'a catastrophic regular expression',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: type',
        '        operator: matches',
        '        value: "(a+)+$"',
        '    actions: [{ channels: [inapp] }]',
      ),
      7,
      /repeats a group/,
    ],
    [
      'a missing value',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    conditions:',
        '      - field: type',
        '        operator: eq',
        '    actions: [{ channels: [inapp] }]',
      ),
      5,
      /value is required/,
    ],
    [
      'an unknown channel',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - type: notify',
        '        channels:',
        '          - inapp',
        '          - fax',
      ),
      8,
      /unknown channel "fax"/,
    ],
    [
      'missing channels',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - type: notify', '        template: t'),
      5,
      /channels are required/,
    ],
    [
      'an unknown action type',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - type: notifyy', '        channels: [inapp]'),
      5,
      /unknown action type "notifyy"/,
    ],
    [
      'an unknown priority',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - channels: [inapp]', '        priority: critical'),
      6,
      /unknown priority "critical"/,
    ],
    [
      'a non-boolean flag',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - channels: [inapp]', '        mandatory: "yes"'),
      6,
      /expected true or false/,
    ],
    [
      'a bad batching window',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - channels: [inapp]',
        '        batching:',
        '          window: 5 minutes',
      ),
      7,
      /invalid duration "5 minutes"/,
    ],
    [
      'a bad group_by',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - channels: [inapp]',
        '        batching:',
        '          window: 5m',
        '          group_by: symbol',
      ),
      8,
      /unknown field "symbol"/,
    ],
    [
      'a bad max_items',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - channels: [inapp]',
        '        batching: { window: 5m,',
        '          max_items: 0 }',
      ),
      7,
      /positive whole number/,
    ],
    [
      'a bad escalation delay',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - channels: [inapp]',
        '        escalation:',
        '          - delay: later',
        '            channels: [sms]',
      ),
      7,
      /invalid duration "later"/,
    ],
    [
      'an unknown escalation condition',
      oneRule(
        '  - name: r',
        '    event_type: X',
        '    actions:',
        '      - channels: [inapp]',
        '        escalation:',
        '          - delay: 5m',
        '            channels: [sms]',
        '            condition: ignored',
      ),
      9,
      /unknown escalation condition/,
    ],
    [
      'a team name with a capital',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - channels: [slack]', '        team: Risk'),
      6,
      /team "Risk" must be/,
    ],
    [
      'a team on an action without team channels',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - channels: [inapp, webhook]', '        team: risk'),
      6,
      /only applies to the channels slack, discord, teams, pagerduty/,
    ],
    [
      'suppress mixed with notify',
      oneRule('  - name: r', '    event_type: X', '    actions:', '      - type: suppress', '      - channels: [inapp]'),
      4,
      /only action/,
    ],
    [
      'a duplicate rule name',
      'rules:\n  - name: same\n    event_type: X\n    actions: [{ channels: [inapp] }]\n  - name: same\n    event_type: Y\n    actions: [{ channels: [inapp] }]\n',
      5,
      /already used at line 2/,
    ],
    [
      'an unknown severity in defaults',
      'defaults:\n  info: { channels: [inapp] }\n  meh: { channels: [inapp] }\n',
      3,
      /unknown severity "meh"/,
    ],
    [
      'two defaults for one severity',
      'defaults:\n  high: { channels: [inapp] }\n  critical: { channels: [sms] }\n',
      3,
      /second entry for severity critical/,
    ],
    ['a bad default batch window', 'defaults:\n  info:\n    channels: [inapp]\n    batch_window: 1y\n', 4, /invalid duration "1y"/],
    ['a tenant with a slash', 'tenant: a/b\nrules: []\n', 1, /cannot contain/],
  ])('%s', (_title, text, line, reason) => {
    const error = rejection(text, 'rules/acme.yaml');
    expect(error).toBeInstanceOf(RuleFileError);
    expect(error).toBeInstanceOf(Error);
    expect(error.file).toBe('rules/acme.yaml');
    expect(error.reason).toMatch(reason);
    expect(error.line).toBe(line);
    expect(error.message).toBe(`rules/acme.yaml:${line}: ${error.reason}`);
  });

  it('reports a problem in a later rule at that rule, not the first', () => {
    const text = `${SEED_001}
  - name: "Broken"
    event_type: "X"
    actions:
      - channels: [telegram]
`;
    const error = rejection(text);
    expect(error.line).toBe(30);
    expect(error.reason).toMatch(/rules\[2\]\.actions\[0\]\.channels\[0\]: unknown channel "telegram"/);
  });
});
