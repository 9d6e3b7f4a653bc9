/**
 * Which window an intent's channel joins. One window per channel and group: the rule's group_by
 * value when it names one (a field path as in rule conditions: `type`, `labels.x`, `payload.symbol`),
 * else every batched notification of that window length together, so a digest can read
 * "3 Stop Loss Triggered, 2 Trade Executed".
 */
import type { Intent } from '@notify/schemas';
import { AlertLabels } from '../inhibition/alert-labels';

export function windowGroup(intent: Intent): string {
  const groupBy = intent.batching?.group_by;
  if (!groupBy) return '*';
  return `${groupBy}=${new AlertLabels(intent).get(groupBy)}`;
}

export function windowKey(channel: string, group: string, windowMs: number): string {
  return JSON.stringify([channel, group, windowMs]);
}
