/** Events for unit tests: a plausible accepted event, with whatever the test cares about overridden. */
import type { AcceptedEvent } from '@notify/schemas';

export function testEvent(overrides: Partial<AcceptedEvent> & { payloadObject?: Record<string, unknown> } = {}): AcceptedEvent {
  const { payloadObject, ...fields } = overrides;
  return {
    event_id: 'evt-1',
    type: 'ORDER_FILLED',
    producer: 'trading-system',
    tenant: 'acme',
    occurred_at: 1_700_000_000_000,
    accepted_at: 1_700_000_000_100,
    severity: 'info',
    severity_label: 'low',
    payload: JSON.stringify(payloadObject ?? { user_id: 'u1', symbol: 'AAPL', quantity: 100, price: 150.25 }),
    dedupe_key: null,
    recipients: ['u1'],
    audience: null,
    labels: {},
    ...fields,
  };
}
