/** What the aggregator does with one channel of one intent. */
import type { SuppressionReason } from '@notify/schemas';

export type ChannelDecision =
  | { kind: 'send' }
  | { kind: 'suppress'; reason: SuppressionReason; detail: string }
  /** Hold the notification until `until` (epoch ms), then decide again: preferences may change meanwhile. */
  | { kind: 'defer'; until: number; reason: 'quiet_hours_deferred' };

export const SEND: ChannelDecision = Object.freeze({ kind: 'send' });

export function suppress(reason: SuppressionReason, detail: string): ChannelDecision {
  return { kind: 'suppress', reason, detail };
}
