/**
 * How device rows appear in a user's contacts: browsers as Recipient.push_subscriptions (the shape
 * every reader of the record already knows), native apps as Recipient.devices; and back again, for a
 * record adopted from another writer. The rows are the truth: a document's device fields are always
 * read from them, never saved from the document.
 */
import type { PushSubscription, Device } from '@notify/schemas';
import type { ContactsDocument } from '../preferences/contacts-document';
import type { DeviceRegistration, DeviceRow } from './device-rows';

export function withDevices(document: ContactsDocument, rows: readonly DeviceRow[]): ContactsDocument {
  return {
    ...document,
    push_subscriptions: rows.flatMap((r) => {
      const keys = browserKeys(r.subscription);
      return r.platform === 'web' && keys ? [{ endpoint: r.token, ...keys }] : [];
    }),
    devices: rows.flatMap((r): Device[] =>
      r.platform === 'web' ? [] : [{ platform: r.platform, token: r.token, app_id: r.app_id, locale: r.locale }],
    ),
  };
}

/** The registrations a document names; devices of platforms this API does not know are left out. */
export function registrationsOf(document: Pick<ContactsDocument, 'push_subscriptions' | 'devices'>): DeviceRegistration[] {
  const browsers = document.push_subscriptions.map((s: PushSubscription): DeviceRegistration => ({
    platform: 'web',
    app_id: '',
    token: s.endpoint,
    subscription: { p256dh: s.p256dh, auth: s.auth },
    locale: null,
  }));
  const apps = document.devices.flatMap((d): DeviceRegistration[] =>
    (d.platform === 'android' || d.platform === 'ios') && d.token !== '' && d.app_id !== ''
      ? [{ platform: d.platform, app_id: d.app_id, token: d.token, subscription: null, locale: d.locale }]
      : [],
  );
  return [...browsers, ...apps];
}

function browserKeys(value: unknown): { p256dh: string; auth: string } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { p256dh, auth } = value as { p256dh?: unknown; auth?: unknown };
  return typeof p256dh === 'string' && typeof auth === 'string' ? { p256dh, auth } : undefined;
}
