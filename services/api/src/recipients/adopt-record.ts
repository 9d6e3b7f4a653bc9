/**
 * What the API keeps of a Recipient record another writer (a raw producer) put on
 * notifications.recipients, and whether the API must publish its own record right after.
 *
 * Memberships: the other writer's list replaces the stored one when its record is at least as new as
 * the row's last change; that is what the topic itself says, last writer wins. When the row changed
 * after the record was written, the API published in between from a row that lacked the record, so
 * the lists are merged instead: nothing either side added is lost (a membership the other writer
 * removed in that window stays until removed again).
 *
 * Contact points: once set through the API (contactsFromApi) they are the API's and stay; until then
 * they follow the other writer's records, which arrive in topic order, the latest last.
 *
 * Republish: when the kept document differs from what the topic's latest record of the user says
 * (the foreign record if it is the newest, else the API's own last record), so the topic, the router's
 * audience index and the aggregator agree with the API at once rather than at the user's next change.
 */
import type { ContactsDocument } from '../preferences/contacts-document';

export interface StoredUser {
  document: ContactsDocument;
  /** Epoch ms of the row's last change (0 for a row just created for the adoption). */
  updatedAt: number;
  contactsFromApi: boolean;
}

export interface Adoption {
  document: ContactsDocument;
  updatedAt: number;
  /** The row must be saved. */
  changed: boolean;
  /** The API must publish `document` as the user's record. */
  republish: boolean;
}

export function adoptRecord(stored: StoredUser, foreign: ContactsDocument, writtenAt: number): Adoption {
  const newer = writtenAt >= stored.updatedAt;
  const audiences = newer ? unique(foreign.audiences) : unique([...stored.document.audiences, ...foreign.audiences]);
  const contacts = stored.contactsFromApi ? stored.document : foreign;
  const document = { ...contacts, audiences };
  const updatedAt = Math.max(stored.updatedAt, writtenAt);
  return {
    document,
    updatedAt,
    changed: updatedAt !== stored.updatedAt || !sameContacts(document, stored.document),
    republish: !sameContacts(document, newer ? foreign : stored.document),
  };
}

/** Equal as records: lists compared as sets (order and repeats carry no meaning in any of them), maps by key. */
export function sameContacts(a: ContactsDocument, b: ContactsDocument): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${[...new Set(value.map(canonical))].sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
