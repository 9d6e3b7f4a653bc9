/**
 * A user's contact points and profile as the API stores them: the Recipient record without its key
 * fields. Contact routes never change audiences (/v1/audiences and records adopted from other writers
 * do) and derive provider opt-outs from what the channel workers report.
 */
import type { Recipient } from '@notify/schemas';
import type { DeviceRow } from '../devices/device-rows';
import { deviceView, type DeviceView } from '../devices/device-view';

export type ContactsDocument = Omit<Recipient, 'tenant' | 'user_id' | 'updated_at'>;

/** Per-user destinations (Recipient.chat): a URL each, except PagerDuty's routing key. */
export const CHAT_CHANNELS = ['slack', 'discord', 'teams', 'webhook', 'pagerduty'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];
export const MAX_PUSH_SUBSCRIPTIONS = 10;

export function defaultContacts(): ContactsDocument {
  return {
    email: null,
    email_verified: false,
    phone: null,
    phone_verified: false,
    timezone: 'UTC',
    locale: 'en',
    audiences: [],
    push_subscriptions: [],
    chat: {},
    opted_out: [],
    devices: [],
  };
}

export function recipientRecord(tenant: string, userId: string, document: ContactsDocument, updatedAt: number): Recipient {
  return { tenant, user_id: userId, ...document, updated_at: updatedAt };
}

type PlainField = 'email' | 'email_verified' | 'phone' | 'phone_verified' | 'timezone' | 'locale';

/** The fields shown and stored as they are, unlike the lists and maps that are filtered or JSON-encoded. */
export function plainFields(document: ContactsDocument): Pick<ContactsDocument, PlainField> {
  return {
    email: document.email,
    email_verified: document.email_verified,
    phone: document.phone,
    phone_verified: document.phone_verified,
    timezone: document.timezone,
    locale: document.locale,
  };
}

export interface ContactsView {
  email: string | null;
  email_verified: boolean;
  phone: string | null;
  phone_verified: boolean;
  timezone: string;
  locale: string;
  push_subscriptions: Array<{ endpoint: string }>;
  /** Every push device, browsers included (GET /v1/devices lists the same). */
  devices: DeviceView[];
  chat: Record<string, string>;
  audiences: string[];
  opted_out: string[];
  updated_at: string | null;
}

/**
 * What GET /v1/contacts shows. Push subscriptions are listed by endpoint only: their keys are what
 * encrypts messages to the device and nobody needs them back. `devices` are the rows the document's
 * push_subscriptions and devices were read from.
 */
export function contactsResponse(document: ContactsDocument, updatedAt: number | null, devices: readonly DeviceRow[] = []): ContactsView {
  return {
    ...plainFields(document),
    push_subscriptions: document.push_subscriptions.map((s) => ({ endpoint: s.endpoint })),
    devices: devices.map(deviceView),
    chat: document.chat,
    audiences: document.audiences,
    opted_out: document.opted_out,
    updated_at: updatedAt === null ? null : new Date(updatedAt).toISOString(),
  };
}
