/**
 * Seed 001's ORDER_FILLED and MARGIN_CALL events, and rule-file pieces that route them to in-app and
 * webhook, shared by the pipeline tests, the benchmarks and the router's unit tests. Pure: no servers.
 */
import type { Event } from '@notify/schemas';

export type SeedType = 'ORDER_FILLED' | 'MARGIN_CALL';

/** What a seed event cannot default: its id and tenant. Any other field may be overridden too. */
export type SeedOverrides = Partial<Event> & Pick<Event, 'event_id' | 'tenant'>;

/** Seed 001's event of `type` for `user`, as its producer would send it. */
export function seedEvent(type: SeedType, user: string, overrides: SeedOverrides): Event {
  const { event_id: id, tenant, ...rest } = overrides;
  const order = type === 'ORDER_FILLED';
  return {
    event_id: id,
    type,
    producer: order ? 'trading-system' : 'risk-system',
    tenant,
    occurred_at: Date.now(),
    severity: order ? 'medium' : 'critical',
    payload: JSON.stringify(
      order
        ? { user_id: user, order_id: `order-${id}`, symbol: 'AAPL', quantity: 100, price: 150.25 }
        : { user_id: user, account_id: 'acc789', shortfall: 5000.0, deadline: '2024-01-15T10:00:00Z' },
    ),
    // Unique per event: ingest suppresses a repeated dedupe key, which would not be a delivery.
    dedupe_key: order ? `order-${id}` : `margin_call_${user}_${id}`,
    recipients: null,
    audience: null,
    labels: {},
    ...rest,
  };
}

/** A `rules:` entry for ORDER_FILLED, indented to sit under `rules:`. */
export const ORDER_FILLED_RULE = `  - name: "Order Filled"
    event_type: "ORDER_FILLED"
    conditions:
      - { field: "severity", operator: "gte", value: "low" }
    actions:
      - { type: "notify", channels: ["inapp", "webhook"], template: "order.filled", priority: "normal" }`;

/** A `rules:` entry for MARGIN_CALL, indented to sit under `rules:`. */
export const MARGIN_CALL_RULE = `  - name: "Margin Call"
    event_type: "MARGIN_CALL"
    conditions:
      - { field: "severity", operator: "eq", value: "critical" }
    actions:
      - { type: "notify", channels: ["inapp", "webhook"], template: "risk.margin_call", priority: "high", bypass_quiet_hours: true }`;

/**
 * A tenant's rule file whose defaults send every severity to in-app and webhook at once (no batching
 * window, so a test or a measurement never waits on one), followed by `rules` if there are any.
 */
export function inappWebhookRules(tenant: string, rules: readonly string[] = []): string {
  const lines = [
    `tenant: ${tenant}`,
    'defaults:',
    ...['critical', 'warning', 'info', 'success'].map((s) => `  ${s}: { channels: [inapp, webhook], batch_window: 0 }`),
  ];
  if (rules.length > 0) lines.push('rules:', ...rules);
  return `${lines.join('\n')}\n`;
}
