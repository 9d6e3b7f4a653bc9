/**
 * Who an event is for, before preferences: the explicit recipients plus the payload's user_id, each
 * once. Audiences are expanded by the audience index. User ids starting with `#` name teams, whose
 * intents the router makes itself from the rule: a producer naming one would otherwise collide with
 * the team's notification ids, so such ids are no person and are left out.
 */
import { isTeamUserId, type AcceptedEvent } from '@notify/schemas';

export function directRecipients(event: AcceptedEvent, payload: Record<string, unknown>): string[] {
  const ids = new Set(event.recipients);
  const userId = payload.user_id;
  if (typeof userId === 'string' && userId.length > 0 && !userId.includes('/')) ids.add(userId);
  else if (typeof userId === 'number' && Number.isFinite(userId)) ids.add(String(userId));
  return [...ids].filter((id) => !isTeamUserId(id));
}
