import { compileRuleSet } from './compile-rule-set';
import { RuleBook } from './rule-book';
import { testEvent } from './test-event';

const DEFAULT_SET = compileRuleSet(
  `
defaults:
  info: { channels: [inapp, webhook], batch_window: 0 }
  critical: { channels: [inapp, webhook] }
rules:
  - name: Default fill
    event_type: ORDER_FILLED
    actions: [{ channels: [inapp] }]
`,
  'default.yaml',
);

const ACME_SET = compileRuleSet(
  `
tenant: acme
defaults:
  critical: { channels: [pagerduty] }
rules:
  - name: Acme margin
    event_type: MARGIN_CALL
    actions: [{ channels: [voice] }]
`,
  'acme.yaml',
);

describe('RuleBook', () => {
  const book = new RuleBook([DEFAULT_SET, ACME_SET]);

  it("routes a tenant's events with its own set", () => {
    expect(book.route(testEvent({ tenant: 'acme', type: 'MARGIN_CALL' }))).toMatchObject({ rule: 'Acme margin', channels: ['voice'] });
  });

  it("falls back to the default tenant's set for tenants without one", () => {
    expect(book.ruleSetFor('globex').tenant).toBe('default');
    expect(book.route(testEvent({ tenant: 'globex', type: 'ORDER_FILLED' }))).toMatchObject({ rule: 'Default fill' });
    expect(book.route(testEvent({ tenant: 'globex', type: 'MARGIN_CALL', severity: 'critical' }))).toMatchObject({
      rule: null,
      channels: ['inapp', 'webhook'],
    });
  });

  it("does not cascade the default tenant's rules into a tenant that has its own set", () => {
    expect(book.route(testEvent({ tenant: 'acme', type: 'ORDER_FILLED', severity: 'info' }))?.rule).toBeNull();
  });

  it("fills severities a tenant's defaults leave out from the default tenant's, then the built-in table", () => {
    const acme = (severity: 'critical' | 'info' | 'warning') => book.route(testEvent({ tenant: 'acme', type: 'X', severity }));
    expect(acme('critical')).toMatchObject({ channels: ['pagerduty'] });
    expect(acme('info')).toMatchObject({ channels: ['inapp', 'webhook'], batching: null });
    expect(acme('warning')).toMatchObject({ channels: ['inapp', 'email', 'discord'], batching: { window_ms: 300_000 } });
  });

  it('uses the built-in defaults when no set exists at all', () => {
    const empty = new RuleBook();
    expect(empty.tenants()).toEqual([]);
    expect(empty.route(testEvent({ severity: 'success' }))).toMatchObject({ rule: null, channels: ['inapp', 'discord'] });
  });

  it('keeps the first set for a tenant and reports the second as a conflict at its tenant line', () => {
    const second = compileRuleSet('# another\ntenant: acme\nrules: []\n', 'acme-2.yaml');
    const conflicted = new RuleBook([ACME_SET, second]);
    expect(conflicted.tenants()).toEqual(['acme']);
    expect(conflicted.ruleSetFor('acme').file).toBe('acme.yaml');
    expect(conflicted.conflicts).toHaveLength(1);
    expect(conflicted.conflicts[0]).toMatchObject({ file: 'acme-2.yaml', line: 2 });
    expect(conflicted.conflicts[0]?.reason).toMatch(/already defined by acme\.yaml/);
  });

  it('counts rules and lists tenants', () => {
    expect(book.tenants()).toEqual(['acme', 'default']);
    expect(book.ruleCount()).toBe(2);
  });
});
