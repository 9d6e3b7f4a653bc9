/**
 * Sends a notification to every push subscription of a dispatch with the real `web-push` package
 * (VAPID, aes128gcm). Each subscription has its own idempotency claim, so a retry after a partial
 * failure does not repeat the devices already reached. 404/410 from the push service means the
 * subscription is gone: it is recorded and never dialled again. Sockets go through an https.Agent whose
 * lookup is the AddressGuard, since subscription endpoints are written by browsers, not by us.
 */
import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { sendNotification, WebPushError } from 'web-push';
import { PermanentError, RetryableError } from '@notify/errors';
import { claimForRun, type ChannelProvider, type ClaimStore, type RenderedMessage, type SendResult } from '@notify/channel';
import { httpFailure, type AddressGuard } from '@notify/provider-http';
import type { Dispatch } from '@notify/schemas';
import { foldOutcomes, type TargetOutcome } from './push-outcome';
import { pushPayload, PUSH_URGENCY } from './push-payload';
import type { RemovalStore } from './removal-store';
import { SubscriptionGoneError } from './subscription-gone';
import { parseSubscriptions, type PushTarget } from './subscriptions';

export interface Vapid {
  subject: string;
  publicKey: string;
  privateKey: string;
}

export interface PushProviderOptions {
  vapid: Vapid;
  claims: ClaimStore;
  removals: RemovalStore;
  guard: AddressGuard;
  ttlSeconds: number;
  timeoutMs: number;
  connections: number;
  /** Extra trusted certificates (PEM). */
  ca?: string;
}

export class PushProvider implements ChannelProvider {
  readonly name = 'web-push';
  readonly dedupesByIdempotencyKey = false;
  /** The push service accepted it; web push has no delivery receipts, so this is the last word. */
  readonly acceptanceIsDelivery = true;
  private readonly agent: Agent;

  constructor(private readonly options: PushProviderOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.connections, lookup: options.guard.lookup, ...(options.ca ? { ca: options.ca } : {}) });
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const targets = parseSubscriptions(dispatch.address);
    const removed = await this.options.removals.removedAmong(dispatch.tenant, dispatch.user_id, targets.map((t) => t.endpoint));
    const live = targets.filter((t) => !removed.has(t.endpoint));
    if (live.length === 0) throw new SubscriptionGoneError(`all ${targets.length} push subscription(s) were removed earlier`);
    const payload = JSON.stringify(pushPayload(dispatch, message));
    return foldOutcomes(await Promise.all(live.map((t) => this.sendToTarget(dispatch, t, payload))));
  }

  private async sendToTarget(dispatch: Dispatch, target: PushTarget, payload: string): Promise<TargetOutcome> {
    const { claims } = this.options;
    const key = `${dispatch.idempotency_key}/push/${createHash('sha256').update(target.endpoint).digest('base64url').slice(0, 22)}`;
    // A replay re-opens the subscriptions its failed run gave up on; those reached before stay sent.
    const claim = await claimForRun(claims, key, dispatch.notification_id, 'push', dispatch.replay);
    if (claim.kind === 'sent') return { kind: 'sent', ref: claim.providerRef };
    if (claim.kind === 'failed') return { kind: 'permanent', error: new PermanentError('failed_before', 'this subscription failed permanently on an earlier attempt') };
    if (claim.kind === 'in_doubt') {
      await claims.markFailed(key);
      return { kind: 'permanent', error: new PermanentError('delivery_in_doubt', 'a previous attempt stopped between claim and result; not sent again to avoid a duplicate') };
    }
    const outcome = await this.post(dispatch, target, payload);
    if (outcome.kind === 'sent') await claims.markSent(key, outcome.ref);
    else if (outcome.kind === 'retry') await claims.release(key);
    else await claims.markFailed(key);
    return outcome;
  }

  private async post(dispatch: Dispatch, target: PushTarget, payload: string): Promise<TargetOutcome> {
    let url: URL;
    try {
      url = new URL(target.endpoint);
    } catch {
      return { kind: 'permanent', error: new PermanentError('invalid_address', 'push endpoint is not a URL') };
    }
    if (url.protocol !== 'https:') return { kind: 'permanent', error: new PermanentError('invalid_address', 'push endpoints must be https') };
    try {
      this.options.guard.checkUrl(url);
      const reply = await sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
        vapidDetails: this.options.vapid,
        TTL: this.options.ttlSeconds,
        urgency: PUSH_URGENCY[dispatch.severity],
        timeout: this.options.timeoutMs,
        agent: this.agent,
      });
      const location = reply.headers.location;
      return { kind: 'sent', ref: typeof location === 'string' ? location : null };
    } catch (error) {
      return this.failure(dispatch, target, error);
    }
  }

  private async failure(dispatch: Dispatch, target: PushTarget, error: unknown): Promise<TargetOutcome> {
    if (error instanceof WebPushError) {
      if (error.statusCode === 404 || error.statusCode === 410) {
        await this.options.removals.record({ tenant: dispatch.tenant, userId: dispatch.user_id, endpoint: target.endpoint, statusCode: error.statusCode, reason: error.body.trim().slice(0, 300) || 'gone', notificationId: dispatch.notification_id });
        return { kind: 'gone' };
      }
      const failure = httpFailure('push service', { status: error.statusCode, headers: error.headers, text: error.body }, error.body.trim().slice(0, 300));
      return failure instanceof RetryableError ? { kind: 'retry', error: failure } : { kind: 'permanent', error: failure };
    }
    if (error instanceof PermanentError) return { kind: 'permanent', error };
    const e = error as { code?: string; message?: string };
    if (e.code === 'EDESTREFUSED') return { kind: 'permanent', error: new PermanentError('destination_refused', e.message ?? 'destination refused') };
    // web-push throws plain Errors for subscriptions it cannot encrypt to (bad p256dh/auth lengths).
    if (/subscription|p256dh|auth/i.test(e.message ?? '') && e.code === undefined) return { kind: 'permanent', error: new PermanentError('invalid_subscription', e.message ?? 'invalid subscription') };
    return { kind: 'retry', error: new RetryableError(e.code ?? 'network_error', `push request failed: ${e.message ?? String(error)}`, { cause: error }) };
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }
}
