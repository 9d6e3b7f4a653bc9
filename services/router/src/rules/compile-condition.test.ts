import type { AcceptedEvent } from '@notify/schemas';
import { compileRuleSet } from './compile-rule-set';
import { route } from './route';
import { testEvent } from './test-event';

/** Whether a single condition, written as a YAML flow mapping, holds for the event. */
function holds(condition: string, event: AcceptedEvent = testEvent()): boolean {
  const text = [
    'rules:',
    '  - name: probe',
    '    event_type: "*"',
    '    conditions:',
    `      - ${condition}`,
    '    actions:',
    '      - { type: notify, channels: [inapp] }',
  ].join('\n');
  return route(event, compileRuleSet(text, 'probe.yaml'))?.rule === 'probe';
}

const order = testEvent({
  producer: 'trading-system',
  labels: { account_id: 'acc-9', desk: 'EMEA' },
  payloadObject: {
    symbol: 'AAPL',
    quantity: 100,
    price: '150.25',
    tags: ['vip', 'retail'],
    note: 'filled at open',
    side: 'buy',
    odd: { a: 1 },
  },
});

describe('operators on ordinary fields', () => {
  it('eq / ne compare text, and numbers numerically', () => {
    expect(holds('{ field: payload.symbol, operator: eq, value: AAPL }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: eq, value: aapl }', order)).toBe(false);
    expect(holds('{ field: payload.quantity, operator: eq, value: "100.0" }', order)).toBe(true);
    expect(holds('{ field: payload.price, operator: eq, value: 150.25 }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: ne, value: MSFT }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: ne, value: AAPL }', order)).toBe(false);
  });

  it('gt gte lt lte compare numbers (and numeric strings) numerically', () => {
    expect(holds('{ field: payload.quantity, operator: gt, value: 99 }', order)).toBe(true);
    expect(holds('{ field: payload.quantity, operator: gt, value: 100 }', order)).toBe(false);
    expect(holds('{ field: payload.quantity, operator: gte, value: 100 }', order)).toBe(true);
    expect(holds('{ field: payload.quantity, operator: lt, value: 100 }', order)).toBe(false);
    expect(holds('{ field: payload.quantity, operator: lte, value: 100 }', order)).toBe(true);
    // "150.25" is text in the payload but numeric, so 150.25 > 20 rather than "150.25" < "20".
    expect(holds('{ field: payload.price, operator: gt, value: 20 }', order)).toBe(true);
    expect(holds('{ field: payload.price, operator: lt, value: "1000" }', order)).toBe(true);
  });

  it('gt gte lt lte compare text by code point when either side is not numeric', () => {
    expect(holds('{ field: payload.symbol, operator: gt, value: AAA }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: lt, value: AAA }', order)).toBe(false);
    expect(holds('{ field: payload.symbol, operator: gte, value: AAPL }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: lte, value: AAPK }', order)).toBe(false);
  });

  it('in / not_in test membership', () => {
    expect(holds('{ field: payload.side, operator: in, value: [buy, sell] }', order)).toBe(true);
    expect(holds('{ field: payload.side, operator: in, value: [sell] }', order)).toBe(false);
    expect(holds('{ field: payload.quantity, operator: in, value: [10, 100] }', order)).toBe(true);
    expect(holds('{ field: payload.side, operator: not_in, value: [sell, short] }', order)).toBe(true);
    expect(holds('{ field: payload.side, operator: not_in, value: [buy] }', order)).toBe(false);
  });

  it('contains finds substrings in text and members in lists', () => {
    expect(holds('{ field: payload.note, operator: contains, value: "at open" }', order)).toBe(true);
    expect(holds('{ field: payload.note, operator: contains, value: close }', order)).toBe(false);
    expect(holds('{ field: payload.tags, operator: contains, value: vip }', order)).toBe(true);
    expect(holds('{ field: payload.tags, operator: contains, value: vi }', order)).toBe(false);
    expect(holds('{ field: recipients, operator: contains, value: u1 }', order)).toBe(true);
    expect(holds('{ field: payload.odd, operator: contains, value: a }', order)).toBe(false);
  });

  it('exists checks presence, true by default', () => {
    expect(holds('{ field: payload.symbol, operator: exists }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: exists, value: true }', order)).toBe(true);
    expect(holds('{ field: payload.missing, operator: exists }', order)).toBe(false);
    expect(holds('{ field: payload.missing, operator: exists, value: false }', order)).toBe(true);
    expect(holds('{ field: dedupe_key, operator: exists }', order)).toBe(false);
    expect(holds('{ field: labels.account_id, operator: exists }', order)).toBe(true);
  });

  it('matches tests a regular expression', () => {
    expect(holds('{ field: payload.symbol, operator: matches, value: "^A[A-Z]+L$" }', order)).toBe(true);
    expect(holds('{ field: payload.symbol, operator: matches, value: "^MS" }', order)).toBe(false);
    expect(holds('{ field: payload.quantity, operator: matches, value: "^1\\\\d+$" }', order)).toBe(true);
    expect(holds('{ field: payload.odd, operator: matches, value: "." }', order)).toBe(false);
  });

  it('a missing field fails positive tests, so ne and not_in hold for it', () => {
    for (const op of ['eq', 'gt', 'gte', 'lt', 'lte', 'contains', 'matches']) {
      expect(holds(`{ field: payload.missing, operator: ${op}, value: "1" }`, order)).toBe(false);
    }
    expect(holds('{ field: payload.missing, operator: in, value: ["1"] }', order)).toBe(false);
    expect(holds('{ field: payload.missing, operator: ne, value: "1" }', order)).toBe(true);
    expect(holds('{ field: payload.missing, operator: not_in, value: ["1"] }', order)).toBe(true);
    expect(holds('{ field: audience, operator: eq, value: null }', order)).toBe(true);
  });

  it('reads labels and top-level fields', () => {
    expect(holds('{ field: labels.desk, operator: eq, value: EMEA }', order)).toBe(true);
    expect(holds('{ field: producer, operator: eq, value: trading-system }', order)).toBe(true);
    expect(holds('{ field: type, operator: matches, value: "_FILLED$" }', order)).toBe(true);
    expect(holds('{ field: severity_label, operator: eq, value: low }', order)).toBe(true);
  });

  it('compares booleans by their text', () => {
    const event = testEvent({ payloadObject: { vip: true } });
    expect(holds('{ field: payload.vip, operator: eq, value: true }', event)).toBe(true);
    expect(holds('{ field: payload.vip, operator: eq, value: "true" }', event)).toBe(true);
    expect(holds('{ field: payload.vip, operator: eq, value: false }', event)).toBe(false);
  });
});

describe('operators on severity compare by rank, through aliases', () => {
  const warning = testEvent({ severity: 'warning', severity_label: 'medium' });
  const critical = testEvent({ severity: 'critical', severity_label: 'urgent' });
  const success = testEvent({ severity: 'success', severity_label: 'ok' });

  it('medium gte low, because warning outranks info', () => {
    expect(holds('{ field: severity, operator: gte, value: low }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: gte, value: moderate }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: gt, value: warn }', warning)).toBe(false);
    expect(holds('{ field: severity, operator: gt, value: low }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: gte, value: high }', warning)).toBe(false);
    expect(holds('{ field: severity, operator: lt, value: high }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: lte, value: medium }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: lt, value: moderate }', warning)).toBe(false);
    expect(holds('{ field: severity, operator: lte, value: low }', warning)).toBe(false);
  });

  it('eq and ne see aliases of one rank as equal', () => {
    expect(holds('{ field: severity, operator: eq, value: critical }', critical)).toBe(true);
    expect(holds('{ field: severity, operator: eq, value: HIGH }', critical)).toBe(true);
    expect(holds('{ field: severity, operator: eq, value: fatal }', critical)).toBe(true);
    expect(holds('{ field: severity, operator: ne, value: error }', critical)).toBe(false);
    expect(holds('{ field: severity, operator: ne, value: warn }', critical)).toBe(true);
  });

  it('orders the whole scale success < info < warning < critical', () => {
    expect(holds('{ field: severity, operator: lt, value: info }', success)).toBe(true);
    expect(holds('{ field: severity, operator: gt, value: success }', success)).toBe(false);
    expect(holds('{ field: severity, operator: gt, value: warning }', critical)).toBe(true);
  });

  it('in and not_in normalise every listed name', () => {
    expect(holds('{ field: severity, operator: in, value: [medium, high] }', warning)).toBe(true);
    expect(holds('{ field: severity, operator: in, value: [low, ok] }', warning)).toBe(false);
    expect(holds('{ field: severity, operator: not_in, value: [urgent] }', critical)).toBe(false);
    expect(holds('{ field: severity, operator: not_in, value: [info] }', critical)).toBe(true);
  });

  it('compares the normalised severity, not the label the producer sent', () => {
    // severity_label "medium" as text is greater than "low", but "critical" < "low" as text: rank must decide.
    expect(holds('{ field: severity, operator: gt, value: low }', critical)).toBe(true);
  });
});
