/**
 * Reads a user_contacts row back into a ContactsDocument. The jsonb columns are written by this API
 * (and, for audiences and opt-outs, possibly by others), so their shape is checked, not assumed. The
 * contact points are opened with ContactCipher (values of rows written before encryption pass as
 * they are).
 */
import type { PushSubscription } from '@notify/schemas';
import type { Selectable } from 'kysely';
import type { ContactCipher, UserContactsTable } from '@notify/db';
import { isPlainObject } from './field-problems';
import type { ContactsDocument } from './contacts-document';

export function decodeStoredContacts(row: Selectable<UserContactsTable>, contacts: ContactCipher): ContactsDocument {
  const subject = `${row.tenant}/${row.user_id}`;
  return {
    email: contacts.openNullable('user_contacts.email', subject, row.email),
    email_verified: row.email_verified,
    phone: contacts.openNullable('user_contacts.phone', subject, row.phone),
    phone_verified: row.phone_verified,
    timezone: row.timezone,
    locale: row.locale,
    audiences: stringArray(row.audiences, 'audiences'),
    push_subscriptions: pushSubscriptions(contacts.openJson('user_contacts.push_subscriptions', subject, row.push_subscriptions)),
    chat: stringMap(contacts.openJson('user_contacts.chat', subject, row.chat), 'chat'),
    opted_out: stringArray(row.opted_out, 'opted_out'),
    // Native devices live in the devices table; contact-rows.ts reads them (and browsers) from there.
    devices: [],
  };
}

function stringArray(value: unknown, column: string): string[] {
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  throw new Error(`user_contacts.${column} is not an array of strings`);
}

function stringMap(value: unknown, column: string): Record<string, string> {
  if (isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string')) return value as Record<string, string>;
  throw new Error(`user_contacts.${column} is not an object of strings`);
}

function pushSubscriptions(value: unknown): PushSubscription[] {
  if (!Array.isArray(value)) throw new Error('user_contacts.push_subscriptions is not an array');
  return value.map((s) => {
    if (isPlainObject(s) && typeof s.endpoint === 'string' && typeof s.p256dh === 'string' && typeof s.auth === 'string') {
      return { endpoint: s.endpoint, p256dh: s.p256dh, auth: s.auth };
    }
    throw new Error('user_contacts.push_subscriptions holds a malformed subscription');
  });
}
