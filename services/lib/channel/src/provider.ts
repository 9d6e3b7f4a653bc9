/**
 * One interface per channel family: a provider adapter takes a rendered message for one address and
 * either resolves (accepted by the provider) or throws RetryableError / PermanentError.
 */
import { PermanentError } from '@notify/errors';
import type { Dispatch } from '@notify/schemas';
import type { RenderedDigest } from './digest-listing';

export interface RenderedMessage {
  title: string;
  body: string;
  /** Structured data for channels that carry it (webhooks, in-app). */
  data: Record<string, unknown>;
  /** HTML part, for channels that carry one (email). Already escaped by the renderer. */
  html?: string;
  /** One-click unsubscribe link (email List-Unsubscribe header and footer link). */
  unsubscribeUrl?: string;
  /** A digest's listing in parts (already in `body` as text), for channels that lay it out themselves. */
  digest?: RenderedDigest;
  /** The chat channel's own layout from the template's `layout` field, parsed JSON (Slack blocks, a Discord embed, a Teams card). */
  layout?: unknown;
  /** Values opened from sealed payload fields (a one-time code): sent, but never recorded (see sealed-payload.ts). */
  secrets?: string[];
}

export interface SendResult {
  /** The provider's id for the message, when it returns one (message SID, X-Message-Id, ...). */
  providerRef: string | null;
  /** What the status should say beyond the outcome: a fan-out's per-target results (push devices). */
  detail?: string;
}

export interface ChannelProvider {
  readonly name: string;
  /**
   * True when the provider de-duplicates by our idempotency key (Standard Webhooks receivers do, by
   * webhook-id), so a send whose outcome is unknown after a crash may be repeated safely.
   */
  readonly dedupesByIdempotencyKey: boolean;
  /** True when acceptance by the provider is delivery (webhook 2xx, inbox row); false when feedback reports it later. */
  readonly acceptanceIsDelivery: boolean;
  send(dispatch: Dispatch, message: RenderedMessage): Promise<SendResult>;
  /** Releases connections and agents; optional, called once when the worker stops. */
  close?(): Promise<void>;
}

/**
 * Thrown by an adapter when the provider says the address no longer accepts messages (Twilio 21610,
 * an unsubscribed email). Permanent; the channel handler also records the opt-out.
 */
export class AddressOptedOutError extends PermanentError {}

/**
 * Thrown by an adapter when there is nobody left to deliver to (every push subscription of the user is
 * gone): permanent, but not a dead letter, since replaying it could only fail again. The notification
 * ends `failed` with the error's code as reason.
 */
export class UndeliverableError extends PermanentError {}
