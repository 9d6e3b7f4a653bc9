/**
 * Whom a dead letter is about, so that export and erasure find it like any other personal row.
 * Records of the user-keyed topics are keyed `<tenant>/<user_id>`; the retry topics are keyed by
 * notification id but hold a Dispatch, which names its recipient. Events and statuses are not about
 * one person, and a record that cannot be decoded (often why it was dead-lettered) names no one.
 */
import { splitRecipientKey, topicSpec, type DeadLetter, type TopicName } from '@notify/schemas';

export interface DeadLetterSubject {
  tenant: string;
  recipient: string;
}

export type DecodeOriginal = (topic: TopicName, bytes: Buffer) => Promise<unknown>;

function fromRecipientKey(key: string | null): DeadLetterSubject | null {
  if (!key) return null;
  try {
    return { tenant: splitRecipientKey(key).tenant, recipient: key };
  } catch {
    return null;
  }
}

export async function deadLetterSubject(d: DeadLetter, decode: DecodeOriginal): Promise<DeadLetterSubject | null> {
  const spec = topicSpec(d.original_topic);
  if (!spec) return null;
  if (spec.partitions === 'user') return fromRecipientKey(d.original_key);
  if (spec.schema !== 'Dispatch' || !d.original) return null;
  try {
    const value = await decode(spec.name, d.original);
    const recipient = value && typeof value === 'object' ? (value as { recipient?: unknown }).recipient : undefined;
    return typeof recipient === 'string' ? fromRecipientKey(recipient) : null;
  } catch {
    return null;
  }
}
