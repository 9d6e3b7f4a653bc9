/**
 * Posts a notification as JSON to the tenant's endpoint, or to a user's own endpoint (the dispatch's
 * address), signed with Standard Webhooks headers: the tenant's endpoint with the tenant's secrets, a
 * user's endpoint with that user's own secrets (never the tenant's, which would let the user replay
 * payloads signed as the tenant to the tenant's endpoint). The webhook-id is the notification id,
 * stable across retries, so receivers can drop repeats. Redirects are not followed; timeouts are bounded.
 */
import { Agent, request } from 'undici';
import { PermanentError, RetryableError } from '@notify/errors';
import type { Dispatch } from '@notify/schemas';
import type { ChannelProvider, RenderedMessage, SendResult } from '@notify/channel';
import { EndpointGoneError, EndpointServerError, EndpointUnreachableError } from './endpoint-errors';
import { tenantEndpoint, type EndpointBook } from './endpoints';
import { retryAfterMs, type AddressGuard } from '@notify/provider-http';
import { signatureHeader } from './signature';
import type { UserSecrets } from './user-secrets';

export interface WebhookProviderOptions {
  endpoints: EndpointBook;
  /** The secrets of a user's own endpoint; none: such deliveries fail (no_signing_secret). */
  userSecrets?: UserSecrets;
  guard: AddressGuard;
  timeoutMs: number;
  connections: number;
  now?: () => number;
}

export class WebhookProvider implements ChannelProvider {
  readonly name = 'webhook';
  readonly dedupesByIdempotencyKey = true;
  readonly acceptanceIsDelivery = true;
  private readonly agent: Agent;

  constructor(private readonly options: WebhookProviderOptions) {
    this.agent = new Agent({
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs, lookup: options.guard.lookup },
    });
  }

  /** Where the notification goes and which secrets sign it: the user's own endpoint, or the tenant's. */
  private async destination(dispatch: Dispatch): Promise<{ url: string; secrets: readonly string[] }> {
    if (dispatch.address !== null) {
      const secrets = this.options.userSecrets ? await this.options.userSecrets(dispatch.tenant, dispatch.user_id) : [];
      if (secrets.length === 0)
        throw new PermanentError(
          'no_signing_secret',
          `the webhook endpoint of ${dispatch.recipient} has no signing secret of its own; set it again with PUT /v1/contacts/chat/webhook`,
        );
      return { url: dispatch.address, secrets };
    }
    const endpoint = tenantEndpoint(this.options.endpoints, dispatch.tenant);
    if (!endpoint) throw new PermanentError('no_address', `no webhook endpoint configured for tenant ${dispatch.tenant}`);
    return endpoint;
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const { url: target, secrets } = await this.destination(dispatch);
    const url = new URL(target);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new PermanentError('invalid_address', `unsupported scheme ${url.protocol}`);
    this.options.guard.checkUrl(url);
    const timestamp = Math.floor((this.options.now ?? Date.now)() / 1000);
    const body = JSON.stringify({
      type: `notification.${dispatch.type}`,
      timestamp: new Date(timestamp * 1000).toISOString(),
      data: { ...message.data, tenant: dispatch.tenant, user_id: dispatch.user_id, title: message.title, body: message.body },
    });
    let response;
    try {
      response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'notify-platform-webhooks/1',
          'webhook-id': dispatch.notification_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatureHeader(secrets, dispatch.notification_id, timestamp, body),
        },
        body,
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'network_error';
      if (code === 'EDESTREFUSED' || (error as { cause?: { code?: string } }).cause?.code === 'EDESTREFUSED') {
        throw new PermanentError('destination_refused', (error as Error).message, { cause: error });
      }
      throw new EndpointUnreachableError(code, `webhook request to ${url.host} failed: ${(error as Error).message}`, { cause: error });
    }
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { providerRef: null };
    if (status === 408 || status >= 500) {
      throw new EndpointServerError(`http_${status}`, `webhook endpoint answered ${status}`, {
        retryAfterMs: retryAfterMs(response.headers['retry-after']),
      });
    }
    // 429 is an endpoint alive and asking us to slow down: retried, but no sign of failing health.
    if (status === 429) {
      throw new RetryableError(`http_${status}`, `webhook endpoint answered ${status}`, {
        retryAfterMs: retryAfterMs(response.headers['retry-after']),
      });
    }
    if (status >= 300 && status < 400)
      throw new PermanentError('redirect_refused', `webhook endpoint answered ${status}; redirects are not followed`);
    if (status === 410) throw new EndpointGoneError('http_410', 'webhook endpoint answered 410 Gone');
    throw new PermanentError(`http_${status}`, `webhook endpoint answered ${status}`);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
