/** One push platform's way to one device: Web Push, FCM or APNs. */
import type { RenderedMessage } from '@notify/channel';
import type { Dispatch } from '@notify/schemas';
import type { TargetOutcome } from './push-outcome';
import type { PushTarget } from './push-targets';

export interface SendInput<T extends PushTarget> {
  dispatch: Dispatch;
  target: T;
  /** Rendered in the device's locale. */
  message: RenderedMessage;
  /** The recipient's unread inbox count, for the app icon's badge; null when not known. */
  badge: number | null;
}

export interface TargetSender<T extends PushTarget> {
  /** Shown as (part of) the provider name in statuses. */
  readonly name: string;
  /** Never throws for a provider's answer: every answer is an outcome of this one device. */
  send(input: SendInput<T>): Promise<TargetOutcome>;
  close(): Promise<void>;
}
