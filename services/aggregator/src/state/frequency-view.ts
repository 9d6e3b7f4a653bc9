/**
 * The FrequencyCounts view decideChannel needs, read from one recipient's state. FrequencyWindow
 * keeps the same counts for a whole partition in memory, but cannot be written to the changelog;
 * keeping the times inside the recipient's state makes them survive a restart with everything else.
 */
import { FREQUENCY_WINDOW_MS, type FrequencyCounts } from '../preferences';
import type { RecipientState } from './recipient-state';

export function frequencyView(state: RecipientState): FrequencyCounts {
  return {
    sendsInLastHour(_recipient: string, type: string, now: number): number {
      const times = Object.hasOwn(state.typeSends, type) ? (state.typeSends[type] as number[]) : [];
      return times.filter((at) => at > now - FREQUENCY_WINDOW_MS).length;
    },
  };
}
