/**
 * Whom a dead letter belongs to: its tenant, so operators see only their own tenant's, and, when it
 * is about one person, its recipient, so that export and erasure find it like any other personal
 * row. Records of the user-keyed topics are keyed `<tenant>/<user_id>`; the retry topics are keyed by
 * notification id but hold a Dispatch, which names its recipient. Events and statuses are not about
 * one person but name their tenant. A record that cannot be decoded (often why it was dead-lettered)
 * names no one and no tenant: only the platform role sees it.
 */
import { splitRecipientKey, topicSpec, type DeadLetter, type TopicName } from '@notify/schemas';

export interface DeadLetterSubject {
  tenant: string;
  /** `<tenant>/<user_id>`, or null for a record about no one person (an event, a status). */
  recipient: string | null;
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

function field(value: unknown, name: string): string | undefined {
  const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

export async function deadLetterSubject(d: DeadLetter, decode: DecodeOriginal): Promise<DeadLetterSubject | null> {
  const spec = topicSpec(d.original_topic);
  if (!spec) return null;
  if (spec.partitions === 'user') return fromRecipientKey(d.original_key);
  if (!d.original) return null;
  let value: unknown;
  try {
    value = await decode(spec.name, d.original);
  } catch {
    return null;
  }
  const recipient = field(value, 'recipient');
  if (spec.schema === 'Dispatch') return recipient ? fromRecipientKey(recipient) : null;
  const tenant = field(value, 'tenant');
  return tenant ? { tenant, recipient: null } : null;
}
