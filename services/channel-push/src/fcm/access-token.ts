/**
 * OAuth2 access tokens for FCM HTTP v1 (RFC 7523 JWT bearer grant, as Google documents it for
 * service accounts): an RS256 JWT signed with the service account's key, claiming the
 * firebase.messaging scope for the token endpoint as audience, exchanged at token_uri for an access
 * token. The token is reused until five minutes before it expires, and concurrent sends share one
 * exchange. A refused exchange (invalid_grant, a deleted key) is a PermanentError that says which
 * account; throttling and server errors are retryable.
 */
import { SignJWT } from 'jose';
import { request, type Dispatcher } from 'undici';
import { PermanentError, RetryableError } from '@notify/errors';
import { httpFailure } from '@notify/provider-http';
import type { ServiceAccount } from './service-account';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const ASSERTION_LIFETIME_S = 3600;
const REFRESH_MARGIN_MS = 5 * 60_000;

export class AccessTokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly account: ServiceAccount,
    private readonly dispatcher: Dispatcher,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - REFRESH_MARGIN_MS > this.now()) return this.cached.token;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** FCM said the token is not (or no longer) valid: the next send exchanges a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async exchange(): Promise<string> {
    const { account } = this;
    const issuedAt = Math.floor(this.now() / 1000);
    const assertion = await new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.privateKeyId ? { kid: account.privateKeyId } : {}) })
      .setIssuer(account.clientEmail)
      .setAudience(account.tokenUri)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
      .sign(account.privateKey);
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const reply = await request(account.tokenUri, {
        method: 'POST',
        dispatcher: this.dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      });
      status = reply.statusCode;
      headers = reply.headers;
      text = await reply.body.text();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new RetryableError(
        typeof code === 'string' ? code : 'network_error',
        `OAuth2 token request for ${account.clientEmail} failed: ${String(error)}`,
        { cause: error },
      );
    }
    const body = jsonObject(text);
    if (status === 200 && typeof body.access_token === 'string') {
      const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : ASSERTION_LIFETIME_S;
      this.cached = { token: body.access_token, expiresAt: this.now() + expiresIn * 1000 };
      return body.access_token;
    }
    const reason = [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ') || text.slice(0, 300);
    const failure = httpFailure('Google OAuth2', { status, headers, text }, reason);
    if (failure instanceof RetryableError) throw failure;
    throw new PermanentError(
      'fcm_invalid_credentials',
      `the FCM service account ${account.clientEmail} of project ${account.projectId} was refused by ${account.tokenUri} (${status}${reason ? `: ${reason}` : ''}); check the key in its settings`,
    );
  }
}

export function jsonObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
