/** How recipient state travels through the compacted notifications.aggregator-state topic. */
import type { AggregatorState } from '@notify/schemas';
import type { Changelog } from '@notify/runner';
import { cloneState, isEmpty, STATE_VERSION, type RecipientState } from './recipient-state';

export const aggregatorChangelog: Changelog<'notifications.aggregator-state', RecipientState> = {
  topic: 'notifications.aggregator-state',
  encode(key: string, state: RecipientState | undefined, now: number): AggregatorState | null {
    // A recipient with nothing left to remember is a tombstone, so compaction forgets them entirely.
    if (!state || isEmpty(state)) return null;
    return { recipient: key, version: STATE_VERSION, state_json: JSON.stringify(state), updated_at: now };
  },
  decode(value: AggregatorState): RecipientState | undefined {
    if (value.version !== STATE_VERSION) throw new Error(`aggregator state layout ${value.version} is not ${STATE_VERSION}`);
    return JSON.parse(value.state_json) as RecipientState;
  },
  clone: cloneState,
};
