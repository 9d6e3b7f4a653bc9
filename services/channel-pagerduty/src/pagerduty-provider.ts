/**
 * Sends Events API v2 events (`POST /v2/enqueue`). PagerDuty answers 202 `{status, message, dedup_key}`;
 * an invalid event gets 400 `{status, message, errors: [...]}`; throttling is 429, usually without
 * Retry-After, so the runner's backoff applies.
 */
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import { excerpt, httpFailure, isSuccess, jsonOf, type GuardedJsonClient, type TenantDestinations } from '@notify/provider-http';
import { teamOf, type Dispatch } from '@notify/schemas';
import { pagerDutyEvent } from './pagerduty-event';

export interface PagerDutyProviderOptions {
  http: GuardedJsonClient;
  routingKeys: TenantDestinations;
  eventsUrl: string;
}

export class PagerDutyProvider implements ChannelProvider {
  readonly name = 'pagerduty';
  /** A repeated trigger carries the same dedup_key and folds into the open incident; a repeated resolve is a no-op. */
  readonly dedupesByIdempotencyKey = true;
  /** Enqueued is the last we hear: Events API v2 has no per-event delivery report. */
  readonly acceptanceIsDelivery = true;

  constructor(private readonly options: PagerDutyProviderOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const routingKey = this.options.routingKeys.require(dispatch, 'pagerduty routing key', teamOf(dispatch.user_id));
    const url = this.options.http.checkDestination(`${this.options.eventsUrl.replace(/\/+$/, '')}/v2/enqueue`, 'pagerduty');
    const event = pagerDutyEvent(dispatch, message, routingKey);
    const reply = await this.options.http.postJson(url, event);
    const answer = jsonOf(reply) as { dedup_key?: unknown; message?: unknown; errors?: unknown } | undefined;
    if (isSuccess(reply)) return { providerRef: typeof answer?.dedup_key === 'string' ? answer.dedup_key : event.dedup_key };
    const details = Array.isArray(answer?.errors) ? ` (${answer.errors.map(String).join('; ')})` : '';
    const reason = typeof answer?.message === 'string' ? `${answer.message}${details}` : excerpt(reply.text);
    throw httpFailure('pagerduty', reply, reason);
  }

  close(): Promise<void> {
    return this.options.http.close();
  }
}
