/** services/router/rules.example.yaml is both the format reference and the demo's rule file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEVERITIES } from '@notify/schemas';
import { compileRuleSet } from './compile-rule-set';
import { route } from './route';
import { testEvent } from './test-event';

const file = join(__dirname, '..', '..', 'rules.example.yaml');
const set = compileRuleSet(readFileSync(file, 'utf8'), file);
const DEMO_CHANNELS = ['inapp', 'webhook'];

describe('rules.example.yaml', () => {
  it('is the default tenant and sends only to the channels the demo runs', () => {
    expect(set.tenant).toBe('default');
    for (const rule of set.rules) {
      for (const action of rule.actions) {
        if (action.kind === 'notify') expect(action.channels.every((channel) => DEMO_CHANNELS.includes(channel))).toBe(true);
      }
    }
    for (const severity of SEVERITIES) {
      expect(set.defaults[severity]).toMatchObject({ channels: DEMO_CHANNELS, batchWindowMs: 0 });
    }
  });

  it('routes seed 001 events', () => {
    expect(route(testEvent({ type: 'ORDER_FILLED', severity: 'warning', severity_label: 'medium' }), set)).toMatchObject({
      rule: 'Order Filled',
      channels: DEMO_CHANNELS,
      template: 'order.filled',
      batching: null,
    });
    expect(route(testEvent({ type: 'MARGIN_CALL', severity: 'critical' }), set)).toMatchObject({
      rule: 'Margin Call',
      channels: DEMO_CHANNELS,
      bypass_quiet_hours: true,
      mandatory: true,
      priority: 'high',
    });
  });

  it('routes a scarcity alert for tier 1 and 2 audiences only', () => {
    const scarcity = (audience: string, remaining: number) =>
      route(
        testEvent({
          type: 'DEAL_SCARCITY',
          audience,
          payloadObject: { deal_name: 'SpaceX Secondary Series N', remaining_capacity: remaining },
        }),
        set,
      )?.rule;
    expect(scarcity('TIER_1_SFO', 500_000)).toBe('Deal Scarcity');
    expect(scarcity('TIER_2_RIA', 1_000_000)).toBe('Deal Scarcity');
    expect(scarcity('TIER_3_RETAIL', 500_000)).toBeNull();
    expect(scarcity('TIER_1_SFO', 5_000_000)).toBeNull();
  });

  it('sends anything else, at any severity, to the demo channels at once', () => {
    for (const severity of SEVERITIES) {
      expect(route(testEvent({ type: 'SOMETHING', severity }), set)).toMatchObject({ rule: null, channels: DEMO_CHANNELS, batching: null });
    }
  });
});
