/** Records for unit tests: plausible values, with whatever the test cares about overridden. */
import type { Intent, Preferences, Recipient } from '@notify/schemas';
import type { FrequencyCounts } from './frequency-limit';

export const RECIPIENT_KEY = 'acme/u1';

export function testIntent(overrides: Partial<Intent> = {}): Intent {
  return {
    intent_id: 'int-1',
    event_id: 'evt-1',
    tenant: 'acme',
    recipient: RECIPIENT_KEY,
    user_id: 'u1',
    type: 'ORDER_FILLED',
    severity: 'info',
    severity_label: 'low',
    channels: ['email'],
    notification_ids: { email: 'n-1' },
    template: 'order.filled',
    priority: 'normal',
    rule: null,
    bypass_quiet_hours: false,
    mandatory: false,
    batching: null,
    escalation: [],
    payload: '{}',
    dedupe_key: null,
    labels: {},
    inhibit_labels: [],
    occurred_at: 0,
    routed_at: 0,
    team_channels: [],
    ...overrides,
  };
}

/** Preferences with every field at its Avro default: equivalent to having none. */
export function testPreferences(overrides: Partial<Preferences> = {}): Preferences {
  return {
    tenant: 'acme',
    user_id: 'u1',
    channels: {},
    types: {},
    severity_filter: 'all',
    frequency_limits: {},
    quiet_hours: null,
    updated_at: 0,
    ...overrides,
  };
}

/** A recipient reachable on every channel. */
export function testRecipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    tenant: 'acme',
    user_id: 'u1',
    email: 'u1@example.com',
    email_verified: true,
    phone: '+15555550100',
    phone_verified: true,
    timezone: 'UTC',
    locale: 'en',
    audiences: [],
    push_subscriptions: [{ endpoint: 'https://push.example/1', p256dh: 'k', auth: 'a' }],
    chat: {
      slack: 'https://hooks.slack.example/1',
      discord: 'https://discord.example/1',
      teams: 'https://teams.example/1',
      pagerduty: 'routing-key',
    },
    opted_out: [],
    devices: [],
    updated_at: 0,
    ...overrides,
  };
}

/** A frequency view that reports a fixed count for every recipient and type. */
export function fixedCount(count: number): FrequencyCounts {
  return { sendsInLastHour: () => count };
}

export const at = (iso: string): number => Date.parse(iso);
export const iso = (instant: number | null): string | null => (instant === null ? null : new Date(instant).toISOString());
