/**
 * Publishing the full current record of a user to a compacted topic. Callers do this inside the
 * database transaction that made the change and commit only after it resolves, so a change is either
 * in both places or in neither, and writers of one user (serialised by the row lock) reach the topic
 * in the order they reach the database.
 */
import type { OutgoingRecord } from '@notify/kafka';
import { recipientKey, type Preferences, type Recipient } from '@notify/schemas';
import type { ResolvedDeps } from './deps';
import { apiWriterHeaders } from '../kafka/writer-header';
import { PublishFailedError } from './http-errors';
import { sealRecipient } from '../recipients/seal-recipient';

export async function sendAll(deps: Pick<ResolvedDeps, 'send'>, records: OutgoingRecord[]): Promise<void> {
  try {
    await deps.send(records);
  } catch (cause) {
    throw new PublishFailedError(cause);
  }
}

export function preferencesOutgoing(deps: ResolvedDeps, record: Preferences): OutgoingRecord {
  return {
    topic: 'notifications.preferences',
    key: recipientKey(record.tenant, record.user_id),
    value: deps.codec.encode('notifications.preferences', record),
  };
}

/**
 * Marked as the API's, so the API's own consumer of the topic does not adopt it as another writer's;
 * its contact points sealed with the user's own key (seal-recipient.ts).
 */
export async function recipientOutgoing(deps: Pick<ResolvedDeps, 'codec' | 'personal'>, record: Recipient): Promise<OutgoingRecord> {
  return {
    topic: 'notifications.recipients',
    key: recipientKey(record.tenant, record.user_id),
    value: deps.codec.encode('notifications.recipients', await sealRecipient(deps.personal, record)),
    headers: { ...apiWriterHeaders },
  };
}
