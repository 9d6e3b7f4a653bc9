/**
 * Handles one fan-out page: reads the next `pageSize` audience members after the page's cursor,
 * routes each (an Intent and `routed` statuses, with the decision made when the event was accepted),
 * and writes the next page record unless the audience is exhausted. One page at a time keeps memory
 * at O(page) and lets pages of other events on the partition interleave with this one's. Ids are
 * deterministic, so a redelivered page produces the same records again.
 */
import { isTeamUserId, type FanoutPage } from '@notify/schemas';
import type { Handler, InputRecord, Output } from '@notify/runner';
import type { AudienceIndex } from './audience-index';
import { nextPage } from './fanout-page';
import { eventSuppressed, recipientOutputs } from './intent-outputs';

export interface FanoutHandlerDeps {
  index: Pick<AudienceIndex, 'members'>;
  pageSize: number;
  now?: () => number;
}

export function createFanoutHandler(deps: FanoutHandlerDeps): Handler<'notifications.fanout'> {
  const now = deps.now ?? Date.now;
  return {
    async handle(record: InputRecord<FanoutPage>): Promise<Output[]> {
      const page = record.value;
      const { event, decision } = page;
      const members = await deps.index.members(event.tenant, page.audiences, page.after_user_id, deps.pageSize);
      const at = now();
      const skip = new Set(page.skip_user_ids);
      const outputs: Output[] = [];
      let routed = 0;
      for (const userId of members) {
        // A `#` id is a team's, never a member's (see recipients.ts).
        if (skip.has(userId) || isTeamUserId(userId)) continue;
        outputs.push(...recipientOutputs(event, userId, decision, at));
        routed += 1;
      }
      const reached = page.reached + routed;
      const last = members.at(-1);
      if (members.length === deps.pageSize && last !== undefined) {
        outputs.push(nextPage(page, last, reached));
      } else if (reached === 0) {
        outputs.push(eventSuppressed(event, 'no_recipients', `audience ${page.audiences.join(', ')} has no members`, at));
      }
      return outputs;
    },
  };
}
