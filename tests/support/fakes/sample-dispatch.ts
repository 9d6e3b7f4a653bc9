/** A valid Dispatch for provider and worker tests; every call gets fresh ids. */
import { randomUUID } from 'node:crypto';
import type { Channel, Dispatch } from '@notify/schemas';

export function sampleDispatch(channel: Channel, overrides: Partial<Dispatch> = {}): Dispatch {
  const id = randomUUID();
  return {
    notification_id: `n-${id}`,
    idempotency_key: `n-${id}`,
    event_id: `e-${id}`,
    tenant: 'acme',
    recipient: 'acme/u-1',
    user_id: 'u-1',
    channel,
    type: 'MARGIN_CALL',
    severity: 'critical',
    severity_label: 'critical',
    template: 'default',
    priority: 'high',
    locale: 'en',
    address: null,
    payload: JSON.stringify({ account_id: 'ACC-7', shortfall: '$12,500', deadline: '16:00 UTC' }),
    digest: null,
    attempt: 0,
    not_before: 0,
    replay: 0,
    occurred_at: Date.now(),
    created_at: Date.now(),
    time_zone: null,
    dedupe_key: null,
    template_version: null,
    ...overrides,
  };
}
