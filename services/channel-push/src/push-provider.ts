/**
 * Sends one notification to every device of a dispatch: browsers through Web Push, Android apps
 * through FCM, iOS apps through APNs, all at once. Each device has its own idempotency claim, so a
 * retry after a partial failure reaches only the devices not yet reached. A device the push service
 * reports gone is recorded and removed (removal-store.ts), and one reported gone earlier or now
 * registered by another user is not dialled. An app whose language differs from the recipient's gets
 * the message rendered in its own; app icons show the recipient's unread inbox count.
 */
import { claimForRun, type ChannelProvider, type ClaimStore, type RenderedMessage, type SendResult } from '@notify/channel';
import { PermanentError } from '@notify/errors';
import type { Dispatch } from '@notify/schemas';
import { foldOutcomes, type DeviceOutcome, type TargetOutcome } from './push-outcome';
import { describeTarget, parsePushTargets, targetHash, targetKey, type AppTarget, type PushTarget, type WebTarget } from './push-targets';
import type { RemovalStore } from './removal-store';
import type { TargetSender } from './target-sender';

export interface PushSenders {
  web?: TargetSender<WebTarget>;
  android?: TargetSender<AppTarget>;
  ios?: TargetSender<AppTarget>;
}

export interface PushProviderOptions {
  claims: ClaimStore;
  removals: RemovalStore;
  senders: PushSenders;
  /** Renders the dispatch again for an app in another language than the recipient's. */
  render: (dispatch: Dispatch) => RenderedMessage;
  /** The recipient's unread inbox count, shown as the app icon's badge. */
  unread: (tenant: string, userId: string) => Promise<number>;
}

const PLATFORM_SERVICE: Record<PushTarget['platform'], string> = { web: 'Web Push (VAPID keys)', android: 'FCM', ios: 'APNs' };

export class PushProvider implements ChannelProvider {
  readonly name: string;
  readonly dedupesByIdempotencyKey = false;
  /** The push service accepted it; none of them reports delivery to the device, so this is the last word. */
  readonly acceptanceIsDelivery = true;

  constructor(private readonly options: PushProviderOptions) {
    const { web, android, ios } = options.senders;
    this.name = [...new Set([web, android, ios].flatMap((s) => (s ? [s.name] : [])))].join('+') || 'none';
  }

  async send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult> {
    const targets = parsePushTargets(dispatch.address);
    const blocked = await this.options.removals.undeliverable(dispatch.tenant, dispatch.user_id, targets);
    const apps = targets.filter((t): t is AppTarget => t.platform !== 'web');
    const badge = apps.length > 0 ? await this.options.unread(dispatch.tenant, dispatch.user_id) : null;
    const inLocale = new Map<string, RenderedMessage>([[dispatch.locale, message]]);
    const messageFor = (target: PushTarget): RenderedMessage => {
      const locale = target.platform === 'web' ? null : target.locale;
      if (!locale) return message;
      let rendered = inLocale.get(locale);
      if (!rendered) inLocale.set(locale, (rendered = this.options.render({ ...dispatch, locale })));
      return rendered;
    };
    const results = await Promise.all(
      targets.map(async (target): Promise<DeviceOutcome> => {
        const why = blocked.get(targetKey(target));
        const outcome: TargetOutcome = why
          ? { kind: 'skipped', reason: why === 'gone' ? 'reported gone earlier' : 'registered by another user since' }
          : await this.sendToTarget(dispatch, target, messageFor(target), badge);
        return { device: describeTarget(target), outcome };
      }),
    );
    return foldOutcomes(results);
  }

  private async sendToTarget(
    dispatch: Dispatch,
    target: PushTarget,
    message: RenderedMessage,
    badge: number | null,
  ): Promise<TargetOutcome> {
    const { claims } = this.options;
    const key = `${dispatch.idempotency_key}/push/${targetHash(target)}`;
    // A replay re-opens the devices its failed run gave up on; those reached before stay sent.
    const claim = await claimForRun(claims, key, dispatch.notification_id, 'push', dispatch.replay);
    if (claim.kind === 'sent') return { kind: 'sent', ref: claim.providerRef };
    if (claim.kind === 'failed')
      return { kind: 'permanent', error: new PermanentError('failed_before', 'this device failed permanently on an earlier attempt') };
    if (claim.kind === 'in_doubt') {
      await claims.markFailed(key);
      return {
        kind: 'permanent',
        error: new PermanentError(
          'delivery_in_doubt',
          'a previous attempt stopped between claim and result; not sent again to avoid a duplicate',
        ),
      };
    }
    let outcome: TargetOutcome;
    try {
      outcome = await this.dial(dispatch, target, message, badge);
    } catch (error) {
      // A throw is not a provider's answer: nothing was accepted, so the retry may dial this device again.
      await claims.release(key);
      throw error;
    }
    if (outcome.kind === 'sent') await claims.markSent(key, outcome.ref);
    else if (outcome.kind === 'retry') await claims.release(key);
    else await claims.markFailed(key);
    if (outcome.kind === 'gone') {
      await this.options.removals.record({
        tenant: dispatch.tenant,
        userId: dispatch.user_id,
        target,
        statusCode: outcome.statusCode,
        reason: outcome.reason.slice(0, 300),
        notificationId: dispatch.notification_id,
      });
    }
    return outcome;
  }

  private dial(dispatch: Dispatch, target: PushTarget, message: RenderedMessage, badge: number | null): Promise<TargetOutcome> {
    if (target.platform === 'web') {
      const sender = this.options.senders.web;
      return sender ? sender.send({ dispatch, target, message, badge: null }) : notConfigured(target);
    }
    const sender = this.options.senders[target.platform];
    return sender ? sender.send({ dispatch, target, message, badge }) : notConfigured(target);
  }

  async close(): Promise<void> {
    const { web, android, ios } = this.options.senders;
    await Promise.all([...new Set([web, android, ios])].map((s) => s?.close()));
  }
}

async function notConfigured(target: PushTarget): Promise<TargetOutcome> {
  return {
    kind: 'permanent',
    error: new PermanentError(
      'not_configured',
      `this worker sends no ${target.platform} push: ${PLATFORM_SERVICE[target.platform]} is not configured`,
    ),
  };
}
