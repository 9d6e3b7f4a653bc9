/**
 * APNs to an iOS device token: `POST /3/device/<token>` over HTTP/2 to the production or sandbox
 * host of the app's settings, authorised by the app key's provider token.
 */
import { PermanentError, RetryableError } from '@notify/errors';
import type { AppSettings } from '../app-settings';
import type { TargetOutcome } from '../push-outcome';
import type { PushContent } from '../push-payload';
import type { AppTarget } from '../push-targets';
import type { SendInput, TargetSender } from '../target-sender';
import { apnsOutcome } from './apns-errors';
import { apnsRequest } from './apns-payload';
import { Http2Origins } from './http2-origins';
import type { ProviderToken } from './provider-token';

export interface ApnsApp {
  /** https://api.push.apple.com, https://api.sandbox.push.apple.com, or a test server. */
  origin: string;
  token: ProviderToken;
  deepLinkBase?: string | undefined;
}

export interface ApnsSenderOptions {
  apps: AppSettings<ApnsApp>;
  timeoutMs: number;
  ca?: string;
  now?: () => number;
  content(input: SendInput<AppTarget>, deepLinkBase: string | undefined): PushContent;
}

export class ApnsSender implements TargetSender<AppTarget> {
  readonly name = 'apns';
  private readonly origins: Http2Origins;
  private readonly now: () => number;

  constructor(private readonly options: ApnsSenderOptions) {
    this.origins = new Http2Origins({ timeoutMs: options.timeoutMs, ...(options.ca ? { ca: options.ca } : {}) });
    this.now = options.now ?? Date.now;
  }

  async send(input: SendInput<AppTarget>): Promise<TargetOutcome> {
    const { dispatch, target } = input;
    const app = this.options.apps.find(dispatch.tenant, target.app_id);
    if (!app)
      return {
        kind: 'permanent',
        error: new PermanentError('not_configured', `no APNs settings for tenant ${dispatch.tenant} and app ${target.app_id} (APNS_APPS)`),
      };
    if (!/^[0-9a-f]+$/i.test(target.token)) return { kind: 'gone', statusCode: 400, reason: 'BadDeviceToken' };
    const jwt = await app.token.token();
    const request = apnsRequest(target.app_id, this.options.content(input, app.deepLinkBase), input.badge, this.now());
    let reply;
    try {
      reply = await this.origins.post(
        app.origin,
        `/3/device/${target.token}`,
        { ...request.headers, authorization: `bearer ${jwt}` },
        request.payload,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        kind: 'retry',
        error: new RetryableError(
          typeof code === 'string' ? code : 'network_error',
          `APNs request to ${app.origin} failed: ${String(error)}`,
          { cause: error },
        ),
      };
    }
    if (reply.status === 200) {
      const id = reply.headers['apns-id'];
      return { kind: 'sent', ref: typeof id === 'string' ? id : null };
    }
    let reason: string | null = null;
    try {
      const parsed = JSON.parse(reply.body) as { reason?: unknown };
      reason = typeof parsed.reason === 'string' ? parsed.reason : null;
    } catch {
      reason = null;
    }
    if (reason === 'ExpiredProviderToken') app.token.expire(jwt);
    return apnsOutcome(
      { status: reply.status, headers: reply.headers as Record<string, string | string[] | undefined>, reason },
      target.app_id,
    );
  }

  async close(): Promise<void> {
    await this.origins.close();
  }
}
