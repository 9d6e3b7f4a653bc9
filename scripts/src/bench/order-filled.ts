/** The ORDER_FILLED events both measurements send: the e2e test's seed event, routed by its rules. */
import type { Event } from '@notify/schemas';
import { inappWebhookRules, ORDER_FILLED_RULE, seedEvent } from '../../../tests/support/seed';

export const BENCH_TENANT = 'bench';

/** Routes ORDER_FILLED to in-app and webhook with no batching window, like the e2e test's rules. */
export const BENCH_RULES = inappWebhookRules(BENCH_TENANT, [ORDER_FILLED_RULE]);

export function orderFilled(eventId: string, userId: string, occurredAt: number): Event {
  return seedEvent('ORDER_FILLED', userId, { event_id: eventId, tenant: BENCH_TENANT, occurred_at: occurredAt });
}
