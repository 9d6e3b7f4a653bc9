/**
 * Web Push to a browser with the real `web-push` package (VAPID, aes128gcm). Sockets go through an
 * https.Agent whose lookup is the AddressGuard, since subscription endpoints are written by browsers,
 * not by us. Outcomes are decided by the push service's status (404/410 gone; 429, 408, 5xx retry;
 * other 4xx permanent) and by error class or code, never by an error's text: keys web-push could not
 * encrypt to are refused before the call, by their decoded length, as web-push itself checks them.
 */
import { Agent } from 'node:https';
import { sendNotification, WebPushError } from 'web-push';
import { PermanentError, RetryableError } from '@notify/errors';
import { httpFailure, type AddressGuard } from '@notify/provider-http';
import type { TargetOutcome } from '../push-outcome';
import { PUSH_URGENCY, type PushContent } from '../push-payload';
import type { WebTarget } from '../push-targets';
import type { SendInput, TargetSender } from '../target-sender';
import { webPayload } from './web-payload';

export interface Vapid {
  subject: string;
  publicKey: string;
  privateKey: string;
}

export interface WebPushSenderOptions {
  vapid: Vapid;
  guard: AddressGuard;
  timeoutMs: number;
  connections: number;
  /** Extra trusted certificates (PEM). */
  ca?: string;
  content(input: SendInput<WebTarget>): PushContent;
}

/** RFC 8291: an uncompressed P-256 point and an auth secret of at least 16 bytes (web-push's own checks). */
function keysProblem(target: WebTarget): string | undefined {
  if (Buffer.from(target.p256dh, 'base64url').length !== 65) return 'p256dh is not a 65-byte P-256 public key';
  if (Buffer.from(target.auth, 'base64url').length < 16) return 'auth is shorter than 16 bytes';
  return undefined;
}

export class WebPushSender implements TargetSender<WebTarget> {
  readonly name = 'web-push';
  private readonly agent: Agent;

  constructor(private readonly options: WebPushSenderOptions) {
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: options.connections,
      lookup: options.guard.lookup,
      ...(options.ca ? { ca: options.ca } : {}),
    });
  }

  async send(input: SendInput<WebTarget>): Promise<TargetOutcome> {
    const { target } = input;
    let url: URL;
    try {
      url = new URL(target.endpoint);
    } catch {
      return { kind: 'permanent', error: new PermanentError('invalid_address', 'push endpoint is not a URL') };
    }
    if (url.protocol !== 'https:')
      return { kind: 'permanent', error: new PermanentError('invalid_address', 'push endpoints must be https') };
    const problem = keysProblem(target);
    if (problem) return { kind: 'permanent', error: new PermanentError('invalid_subscription', problem) };
    const content = this.options.content(input);
    try {
      this.options.guard.checkUrl(url);
      const reply = await sendNotification(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        webPayload(content),
        {
          vapidDetails: this.options.vapid,
          TTL: content.ttlSeconds,
          urgency: PUSH_URGENCY[content.severity],
          ...(content.collapseKey ? { topic: topicOf(content.collapseKey) } : {}),
          timeout: this.options.timeoutMs,
          agent: this.agent,
        },
      );
      const location = reply.headers.location;
      return { kind: 'sent', ref: typeof location === 'string' ? location : null };
    } catch (error) {
      return failure(error);
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}

/** RFC 8030 Topic: at most 32 URL-safe base64 characters, so a longer collapse key is cut. */
function topicOf(collapseKey: string): string {
  return Buffer.from(collapseKey).toString('base64url').slice(0, 32);
}

function failure(error: unknown): TargetOutcome {
  if (error instanceof WebPushError) {
    const said = error.body.trim().slice(0, 300);
    if (error.statusCode === 404 || error.statusCode === 410) return { kind: 'gone', statusCode: error.statusCode, reason: said || 'gone' };
    const failed = httpFailure('push service', { status: error.statusCode, headers: error.headers, text: error.body }, said);
    return failed instanceof RetryableError ? { kind: 'retry', error: failed } : { kind: 'permanent', error: failed };
  }
  if (error instanceof PermanentError) return { kind: 'permanent', error };
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (code === 'EDESTREFUSED') return { kind: 'permanent', error: new PermanentError('destination_refused', message) };
  // Node's crypto refuses a key that is the right length but not a point on the curve.
  if (code?.startsWith('ERR_CRYPTO'))
    return { kind: 'permanent', error: new PermanentError('invalid_subscription', `cannot encrypt to this subscription: ${message}`) };
  return { kind: 'retry', error: new RetryableError(code ?? 'network_error', `push request failed: ${message}`, { cause: error }) };
}
