/**
 * Sends a Block Kit message to an incoming webhook or through chat.postMessage with a bot token, over
 * undici and the guarded agent. Outcomes follow the shared HTTP rule; chat.postMessage's `ok: false`
 * errors are split into transient and permanent by Slack's error code.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import { excerpt, httpFailure, isSuccess, jsonOf, type GuardedJsonClient, type TenantDestinations } from '@notify/provider-http';
import { teamOf, type Dispatch } from '@notify/schemas';
import { isTransientSlackError } from './slack-api-errors';
import { parseSlackDestination } from './slack-destination';
import { slackMessage, type SlackMessage } from './slack-message';

export interface SlackProviderOptions {
  http: GuardedJsonClient;
  destinations: TenantDestinations;
  /** Bot tokens by tenant ("default" for every other; "<tenant>/<team>" for one team's workspace). */
  botTokens: TenantDestinations;
  apiUrl: string;
}

export class SlackProvider implements ChannelProvider {
  readonly name = 'slack';
  /** Slack posts a repeat as a second message. */
  readonly dedupesByIdempotencyKey = false;
  /** A 2xx means the message is in the channel; Slack sends no later delivery report. */
  readonly acceptanceIsDelivery = true;

  constructor(private readonly options: SlackProviderOptions) {}

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const team = teamOf(dispatch.user_id);
    const raw = this.options.destinations.require(dispatch, 'slack destination', team);
    const destination = parseSlackDestination(raw);
    const body = slackMessage(dispatch, message);
    return destination.kind === 'webhook'
      ? this.viaWebhook(destination.url, body)
      : this.viaBot(dispatch.tenant, team, destination.channel, body);
  }

  private async viaWebhook(rawUrl: string, body: SlackMessage): Promise<SendResult> {
    const url = this.options.http.checkDestination(rawUrl, 'slack');
    const reply = await this.options.http.postJson(url, body);
    // Incoming webhooks answer 200 "ok", or an error status with the reason as plain text
    // (invalid_payload, channel_not_found, no_service, channel_is_archived, ...).
    if (isSuccess(reply)) return { providerRef: null };
    throw httpFailure('slack', reply, excerpt(reply.text));
  }

  private async viaBot(tenant: string, team: string | null, channel: string, body: SlackMessage): Promise<SendResult> {
    const token = this.options.botTokens.resolve(null, tenant, team);
    if (!token) throw new PermanentError('no_credentials', `no slack bot token for tenant ${tenant}`);
    const url = this.options.http.checkDestination(`${this.options.apiUrl.replace(/\/+$/, '')}/chat.postMessage`, 'slack');
    const reply = await this.options.http.postJson(
      url,
      { channel, ...body },
      { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    );
    if (!isSuccess(reply)) throw httpFailure('slack', reply, excerpt(reply.text));
    const answer = jsonOf(reply) as { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown } | undefined;
    if (answer?.ok === true)
      return { providerRef: typeof answer.ts === 'string' ? `${String(answer.channel ?? channel)}/${answer.ts}` : null };
    const error = typeof answer?.error === 'string' ? answer.error : 'unreadable_response';
    if (isTransientSlackError(error)) throw new RetryableError(`slack_${error}`, `slack chat.postMessage failed: ${error}`);
    throw new PermanentError(`slack_${error}`, `slack chat.postMessage failed: ${error}`);
  }

  close(): Promise<void> {
    return this.options.http.close();
  }
}
