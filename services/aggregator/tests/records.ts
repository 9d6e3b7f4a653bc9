/** The router's intents and the API's recipient records, as the aggregator's broker tests produce them for tenant acme. */
import { intentId, notificationId, type Intent, type Recipient } from '@notify/schemas';

/** An immediate in-app ORDER_FILLED intent for acme/`user`, with notification ids derived as the router does. */
export function intent(user: string, eventId: string, overrides: Partial<Intent> = {}): Intent {
  const recipient = `acme/${user}`;
  const channels = overrides.channels ?? ['inapp'];
  const ids: Record<string, string> = {};
  for (const c of channels) ids[c] = notificationId(eventId, recipient, c);
  return {
    intent_id: intentId(eventId, recipient),
    event_id: eventId,
    tenant: 'acme',
    recipient,
    user_id: user,
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'info',
    channels,
    notification_ids: ids,
    template: 'order.filled',
    priority: 'normal',
    rule: null,
    bypass_quiet_hours: false,
    mandatory: false,
    batching: null,
    escalation: [],
    payload: '{"symbol":"AAPL"}',
    dedupe_key: null,
    labels: {},
    inhibit_labels: [],
    occurred_at: Date.now(),
    routed_at: Date.now(),
    team_channels: [],
    ...overrides,
  };
}

/** A reachable acme/`user` on every contact point, in UTC. */
export function recipientRecord(user: string, overrides: Partial<Recipient> = {}): Recipient {
  return {
    tenant: 'acme',
    user_id: user,
    email: `${user}@example.com`,
    email_verified: true,
    phone: '+15555550100',
    phone_verified: true,
    timezone: 'UTC',
    locale: 'en',
    audiences: [],
    push_subscriptions: [],
    chat: {},
    opted_out: [],
    devices: [],
    updated_at: 1,
    ...overrides,
  };
}
