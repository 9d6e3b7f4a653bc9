/**
 * Posts an embed to a Discord webhook with `?wait=true`, so Discord answers with the created message
 * (whose id becomes the provider reference). Rate limits come as 429 with Retry-After and a JSON
 * `retry_after` in seconds; errors as JSON `{code, message}`.
 */
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import { excerpt, httpFailure, isSuccess, jsonOf, type GuardedJsonClient, type TenantDestinations } from '@notify/provider-http';
import { teamOf, type Dispatch } from '@notify/schemas';
import { discordMessage } from './discord-embed';

export interface DiscordProviderOptions {
  http: GuardedJsonClient;
  destinations: TenantDestinations;
}

export class DiscordProvider implements ChannelProvider {
  readonly name = 'discord';
  readonly dedupesByIdempotencyKey = false;
  readonly acceptanceIsDelivery = true;

  constructor(private readonly options: DiscordProviderOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const url = this.options.http.checkDestination(
      this.options.destinations.require(dispatch, 'discord webhook', teamOf(dispatch.user_id)),
      'discord',
    );
    url.searchParams.set('wait', 'true');
    const reply = await this.options.http.postJson(url, discordMessage(dispatch, message));
    const answer = jsonOf(reply) as { id?: unknown; code?: unknown; message?: unknown; retry_after?: unknown } | undefined;
    if (isSuccess(reply)) return { providerRef: typeof answer?.id === 'string' ? answer.id : null };
    const reason = typeof answer?.message === 'string' ? `${String(answer.code ?? '')} ${answer.message}`.trim() : excerpt(reply.text);
    const retryAfterMs = typeof answer?.retry_after === 'number' ? Math.ceil(answer.retry_after * 1000) : undefined;
    throw httpFailure('discord', reply, reason, retryAfterMs);
  }

  close(): Promise<void> {
    return this.options.http.close();
  }
}
