/** The ORDER_FILLED events both measurements send: the same shape as the e2e test's seed event. */
import type { Event } from '@notify/schemas';

export const BENCH_TENANT = 'bench';

/** Routes ORDER_FILLED to in-app and webhook with no batching window, like the e2e test's rules. */
export const BENCH_RULES = `
tenant: ${BENCH_TENANT}
defaults:
  critical: { channels: [inapp, webhook], batch_window: 0 }
  warning: { channels: [inapp, webhook], batch_window: 0 }
  info: { channels: [inapp, webhook], batch_window: 0 }
  success: { channels: [inapp, webhook], batch_window: 0 }
rules:
  - name: "Order Filled"
    event_type: "ORDER_FILLED"
    conditions:
      - { field: "severity", operator: "gte", value: "low" }
    actions:
      - { type: "notify", channels: ["inapp", "webhook"], template: "order.filled", priority: "normal" }
`;

export function orderFilled(eventId: string, userId: string, occurredAt: number): Event {
  return {
    event_id: eventId,
    type: 'ORDER_FILLED',
    producer: 'trading-system',
    tenant: BENCH_TENANT,
    occurred_at: occurredAt,
    severity: 'medium',
    payload: JSON.stringify({ user_id: userId, order_id: `order-${eventId}`, symbol: 'AAPL', quantity: 100, price: 150.25 }),
    // Unique per event: ingest suppresses a repeated dedupe key, which would not be a delivery.
    dedupe_key: `order-${eventId}`,
    recipients: null,
    audience: null,
    labels: {},
  };
}
