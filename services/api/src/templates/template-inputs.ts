/**
 * What a preview or test send reads besides the template: a real past event of the tenant and the
 * recipient's contact row. Accepted events are not kept in Postgres; the in-app inbox is the one
 * table that keeps an event's payload (in each item's `data`), so `event_id` finds events that
 * reached at least one in-app inbox of the tenant.
 */
import type { ContactCipher, Db } from '@notify/db';
import { normaliseSeverity, type Channel, type Severity } from '@notify/schemas';

export interface PastEvent {
  type: string;
  severity: Severity;
  payload: unknown;
}

export async function pastEvent(db: Db, tenant: string, eventId: string): Promise<PastEvent | undefined> {
  const row = await db
    .selectFrom('inbox')
    .select(['type', 'severity', 'data'])
    .where('tenant', '=', tenant)
    .where('event_id', '=', eventId)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const data = row.data !== null && typeof row.data === 'object' ? (row.data as Record<string, unknown>) : {};
  return { type: row.type, severity: normaliseSeverity(row.severity) ?? 'info', payload: data.payload ?? {} };
}

export interface Contact {
  email: string | null;
  phone: string | null;
  phone_verified: boolean;
  timezone: string;
  chat: unknown;
}

/** The caller's contact points, opened (they are stored sealed). */
export async function contactOf(db: Db, contacts: ContactCipher, tenant: string, userId: string): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('user_contacts')
    .select(['email', 'phone', 'phone_verified', 'timezone', 'chat'])
    .where('tenant', '=', tenant)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const subject = `${tenant}/${userId}`;
  return {
    ...row,
    email: contacts.openNullable('user_contacts.email', subject, row.email),
    phone: contacts.openNullable('user_contacts.phone', subject, row.phone),
    chat: contacts.openJson('user_contacts.chat', subject, row.chat),
  };
}

export type Reach = { ok: true; address: string | null } | { ok: false; reason: string };

function chatAddress(chat: unknown, channel: string): string | null {
  if (chat === null || typeof chat !== 'object' || !Object.hasOwn(chat, channel)) return null;
  const value = (chat as Record<string, unknown>)[channel];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Where a test send to the caller goes on `channel`: the same rules as the aggregator's contact points. */
export function callerAddress(channel: Channel, contact: Contact | undefined): Reach {
  const at = (address: string | null | undefined, missing: string): Reach =>
    address && address.trim() !== '' ? { ok: true, address } : { ok: false, reason: missing };
  switch (channel) {
    case 'inapp':
      return { ok: true, address: null };
    case 'email':
      return at(contact?.email, 'you have no email address in your contacts');
    case 'sms':
    case 'voice':
      if (!contact?.phone) return { ok: false, reason: 'you have no phone number in your contacts' };
      return contact.phone_verified ? { ok: true, address: contact.phone } : { ok: false, reason: 'your phone number is not verified' };
    case 'push':
      return { ok: false, reason: 'a test send to push devices is not supported; preview the push template instead' };
    case 'webhook':
    case 'slack':
    case 'discord':
    case 'teams':
    case 'pagerduty':
      return at(chatAddress(contact?.chat, channel), `you have no ${channel} destination in your contacts`);
  }
}
