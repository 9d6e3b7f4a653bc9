/**
 * The handler every channel worker runs: render, claim the idempotency key, call the provider, and
 * report the outcome as a delivery status.
 *
 * Failures never hold up the partition: a retryable one releases the claim and re-publishes the
 * dispatch to notifications.retry.<channel> (attempt + 1, not_before from the channel's policy or the
 * provider's Retry-After) with a `retrying` status; once the policy's retries are used up, or for a
 * failure that is not retryable (isRetryable: PermanentError, InvalidInputError), the claim is marked
 * failed and the runner dead-letters the record (channelDeadLetter below adds the terminal
 * `dead_lettered` status), except an UndeliverableError, which ends the notification `failed`. A retry
 * that is not due yet is a Deferral: the runner waits for it without counting a failure.
 *
 * Every outcome of a digest (delivered, sent, failed, suppressed, dead_lettered) is also reported for
 * each of its member notifications (digest-members.ts); `retrying` is the digest's own business.
 */
import { Deferral, errorCode, errorMessage, isRetryable, PermanentError, RetryableError } from '@notify/errors';
import {
  deliveryStatus,
  isChannel,
  retryTopic,
  type Dispatch,
  type DispatchTopic,
  type RetryTopic,
  type StatusFields,
} from '@notify/schemas';
import { toDeadLetterTopic, type DeadLetterPolicy, type Handler, type HandlerContext, type InputRecord, type Output } from '@notify/runner';
import { countDelivered, type ChannelMetrics } from './channel-metrics';
import { claimForRun, type Claims } from './claims';
import { statusOf } from './dispatch-status';
import type { MessageLog } from './message-log';
import type { OptOutStore } from './opt-outs';
import { AddressOptedOutError, UndeliverableError, type ChannelProvider, type RenderedMessage } from './provider';
import { retryDelayMs, retryPolicyFor, type RetryPolicy } from './retry-policy';
import { outcomeOutputs } from './digest-members';
import { openAddress } from './personal-address';
import type { PersonalKeys } from '@notify/db';

export interface ChannelHandlerOptions {
  channel: string;
  provider: ChannelProvider;
  claims: Claims;
  metrics: ChannelMetrics;
  render: (dispatch: Dispatch) => RenderedMessage;
  now?: () => number;
  /** Retry policy; defaults to the channel's row of RETRY_POLICIES. */
  retry?: RetryPolicy;
  /** When given: opted-out addresses are suppressed, and provider opt-outs (21610) are recorded. */
  optOuts?: Pick<OptOutStore, 'add' | 'isOptedOut'>;
  /** When given and the provider reports delivery later: sent messages are logged for its feedback. */
  messages?: MessageLog;
  /** Opens addresses sealed with the user's own key (personal-address.ts); without it they go out as they are. */
  personal?: Pick<PersonalKeys, 'open' | 'openAll'>;
}

export const channelStage = (channel: string): string => `channel-${channel}`;

export function createChannelHandler(options: ChannelHandlerOptions): Handler<DispatchTopic | RetryTopic> {
  const { provider, claims, channel, metrics } = options;
  if (!isChannel(channel)) throw new Error(`unknown channel ${channel}`);
  const now = options.now ?? Date.now;
  const stage = channelStage(channel);
  const policy = options.retry ?? retryPolicyFor(channel);
  const status = (d: Dispatch, fields: Pick<StatusFields, 'status' | 'reason' | 'detail'>): Output => ({
    topic: 'notifications.delivery-status',
    key: d.notification_id,
    value: deliveryStatus({ ...statusOf(d, stage, provider.name, now()), ...fields }),
  });
  /** The dispatch's outcome, for it and for every member of a digest. */
  const outcome = (d: Dispatch, fields: Pick<StatusFields, 'status' | 'reason' | 'detail'>): Output[] =>
    outcomeOutputs(d, deliveryStatus({ ...statusOf(d, stage, provider.name, now()), ...fields }));

  const success = (d: Dispatch, detail?: string): Output[] => {
    const delivered = provider.acceptanceIsDelivery;
    if (delivered) countDelivered(metrics, channel, d.occurred_at, now());
    return outcome(d, { status: delivered ? 'delivered' : 'sent', ...(detail ? { detail } : {}) });
  };

  /** Messages whose outcome the provider reports later; their feedback or its timeout closes them. */
  const logged = options.messages && !provider.acceptanceIsDelivery ? options.messages : undefined;
  const failedInDoubt = (d: Dispatch): Output[] =>
    outcome(d, {
      status: 'failed',
      reason: 'delivery_in_doubt',
      detail: 'a previous attempt stopped between claim and result; not sent again to avoid a duplicate',
    });

  /**
   * A redelivered dispatch whose earlier attempt stopped between claim and result, for a provider that
   * would send it twice. With a message log the row decides, and whoever closes it first wins: a row
   * the provider accepted is `sent` (its feedback or the timeout closes it); a row a report or the
   * timeout already closed keeps that terminal, published by its closer; otherwise the row is closed
   * here as failed, so a report arriving later publishes nothing. A row closed by an earlier
   * settlement repeats its `failed`, in case that attempt's outputs were never produced.
   */
  const inDoubt = async (d: Dispatch): Promise<Output[]> => {
    const found = logged ? await logged.settleInDoubt(d.notification_id) : { kind: 'unlogged' as const };
    if (found.kind === 'accepted') {
      await claims.markSent(d.idempotency_key, found.message.provider_ref);
      return success(d);
    }
    if (found.kind === 'closed_before') {
      if (found.status === 'failed' && found.reason === 'delivery_in_doubt') {
        await claims.markFailed(d.idempotency_key);
        return failedInDoubt(d);
      }
      await claims.markSent(d.idempotency_key, null);
      return [];
    }
    await claims.markFailed(d.idempotency_key);
    metrics.failed.inc({ channel, reason: 'delivery_in_doubt' });
    return failedInDoubt(d);
  };

  /** `address` is the opened one; `d` stays sealed, as it goes on to the retry topic or the DLQ. */
  const onFailure = async (d: Dispatch, address: string | null, error: unknown, ctx: HandlerContext): Promise<Output[]> => {
    if (error instanceof AddressOptedOutError && address) await options.optOuts?.add(channel, address, `${provider.name}:${error.code}`);
    if (!isRetryable(error)) {
      await claims.markFailed(d.idempotency_key);
      metrics.failed.inc({ channel, reason: errorCode(error) });
      if (error instanceof UndeliverableError) return outcome(d, { status: 'failed', reason: error.code, detail: error.message });
      throw error;
    }
    const retryable =
      error instanceof RetryableError
        ? error
        : new RetryableError('provider_error', `${provider.name} failed: ${errorMessage(error)}`, { cause: error });
    if (d.attempt >= policy.maxRetries) {
      await claims.markFailed(d.idempotency_key);
      metrics.failed.inc({ channel, reason: 'retries_exhausted' });
      throw new PermanentError(retryable.code, `${provider.name} still failing after ${d.attempt + 1} attempts: ${retryable.message}`, {
        cause: error,
      });
    }
    await claims.release(d.idempotency_key);
    const notBefore = now() + retryDelayMs(policy, d.attempt, retryable.retryAfterMs);
    ctx.log.info(
      { notification_id: d.notification_id, attempt: d.attempt, code: retryable.code, not_before: notBefore },
      'retry scheduled',
    );
    return [
      { topic: retryTopic(channel), key: d.notification_id, value: { ...d, attempt: d.attempt + 1, not_before: notBefore } },
      status(d, {
        status: 'retrying',
        reason: retryable.code,
        detail: `${retryable.message}; next attempt at ${new Date(notBefore).toISOString()}`,
      }),
    ];
  };

  return {
    async handle(record: InputRecord<Dispatch>, ctx: HandlerContext): Promise<Output[]> {
      const d = record.value;
      const wait = d.not_before - now();
      if (record.topic === retryTopic(channel) && wait > 0) {
        // The runner waits (heart-beating) and calls again: an in-group wait that only holds up other
        // retries, never the dispatch topic, and is not counted as a failure.
        throw new Deferral(d.not_before, `retry of ${d.notification_id} is due in ${wait} ms`);
      }
      const opening = options.personal ? await openAddress(options.personal, d) : { kind: 'opened' as const, dispatch: d };
      if (opening.kind === 'erased') return outcome(d, { status: 'suppressed', reason: 'recipient_erased', detail: opening.detail });
      const open = opening.dispatch;
      // The detail does not name the address: statuses are read by operators and kept for analytics.
      if (options.optOuts && open.address && (await options.optOuts.isOptedOut(channel, open.address))) {
        return outcome(d, { status: 'suppressed', reason: 'opted_out', detail: `the address opted out of ${channel} at the provider` });
      }
      const message = options.render(open);
      // A replayed dead letter re-opens the claim its failed run left; a claim already sent is re-reported, never sent again.
      const claim = await claimForRun(claims, d.idempotency_key, d.notification_id, channel, d.replay);
      if (claim.kind === 'sent') return success(d);
      if (claim.kind === 'failed') return [];
      if (claim.kind === 'in_doubt' && !provider.dedupesByIdempotencyKey) return inDoubt(d);
      await logged?.opened(d, provider.name);
      metrics.emitted.inc({ channel });
      let providerRef: string | null;
      let detail: string | undefined;
      try {
        ({ providerRef, detail } = await provider.send(open, message));
      } catch (error) {
        return onFailure(d, open.address, error, ctx);
      }
      // Outside the try: a database hiccup after a successful send must not look like a provider failure.
      // Acceptance is logged before the claim is marked sent, so an attempt that stops between the two
      // leaves a log row that shows the provider took the message (see inDoubt).
      await logged?.accepted(d.notification_id, providerRef);
      await claims.markSent(d.idempotency_key, providerRef);
      return success(d, detail);
    },
  };
}

/** Dead letters of a channel also close the notification with a `dead_lettered` status. */
export function channelDeadLetter(channel: string, providerName: string): DeadLetterPolicy {
  return (failure) => {
    const d = failure.decoded as Dispatch | undefined;
    const isDispatch = d !== undefined && d !== null && typeof d === 'object' && 'notification_id' in d;
    const outputs = toDeadLetterTopic(isDispatch ? { ...failure, attempts: d.attempt + 1 } : failure);
    if (isDispatch) {
      outputs.push(
        ...outcomeOutputs(
          d,
          deliveryStatus({
            ...statusOf(d, channelStage(channel), providerName, Date.now()),
            status: 'dead_lettered',
            reason: failure.code,
            detail: failure.reason,
          }),
        ),
      );
    }
    return outputs;
  };
}
