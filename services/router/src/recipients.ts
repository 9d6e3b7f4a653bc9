/**
 * Who an event is for, before preferences: the explicit recipients plus the payload's user_id, each
 * once. Audiences are expanded by the audience index.
 */
import type { AcceptedEvent } from '@notify/schemas';

export function directRecipients(event: AcceptedEvent, payload: Record<string, unknown>): string[] {
  const ids = new Set(event.recipients);
  const userId = payload.user_id;
  if (typeof userId === 'string' && userId.length > 0 && !userId.includes('/')) ids.add(userId);
  else if (typeof userId === 'number' && Number.isFinite(userId)) ids.add(String(userId));
  return [...ids];
}
