/** Request bodies of the /v1/contacts routes, each checked field by field. */
import type { PushSubscription } from '@notify/schemas';
import { isPlainObject, rejectUnknownKeys, type FieldProblem, type Validated } from './field-problems';
import { CHAT_CHANNELS, type ChatChannel } from './contacts-document';
import { validTimeZone } from './time-zone';

const MAX_URL_LENGTH = 2048;
const MAX_EMAIL_LENGTH = 254;
/** One @, something either side, a dot in the domain, no spaces: deliverability is the mail provider's call. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** ITU-T E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** People type numbers with spacing and punctuation; those carry no meaning and are dropped. */
const PHONE_PUNCTUATION = /[\s\-().]/g;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** An Events API v2 routing key: the 32-character integration key of a PagerDuty service. */
const PAGERDUTY_ROUTING_KEY = /^[A-Za-z0-9]{32}$/;
/** Uncompressed P-256 point (RFC 8291): 0x04 followed by 32-byte x and y. */
const P256DH_BYTES = 65;
const AUTH_SECRET_BYTES = 16;

function body(value: unknown, allowed: readonly string[], problems: FieldProblem[]): Record<string, unknown> | null {
  if (!isPlainObject(value)) {
    problems.push({ field: '(body)', message: 'must be a JSON object' });
    return null;
  }
  rejectUnknownKeys(value, allowed, '', problems);
  return value;
}

function result<T>(problems: FieldProblem[], value: T | null): Validated<T> {
  return problems.length > 0 || value === null ? { ok: false, problems } : { ok: true, value };
}

function failed(problems: FieldProblem[]): { ok: false; problems: FieldProblem[] } {
  return { ok: false, problems };
}

export function validateEmail(input: unknown): Validated<string> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['email'], problems);
  if (!b) return failed(problems);
  const email = typeof b.email === 'string' ? b.email.trim() : null;
  if (email === null) problems.push({ field: 'email', message: 'is required' });
  else if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email))
    problems.push({ field: 'email', message: 'must be an email address such as name@example.com' });
  if (email === null || problems.length > 0) return failed(problems);
  // The domain is case-insensitive; the local part may not be, so it is kept as typed.
  const at = email.lastIndexOf('@');
  return result(problems, email.slice(0, at) + email.slice(at).toLowerCase());
}

export function validatePhone(input: unknown): Validated<string> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['phone'], problems);
  if (!b) return failed(problems);
  if (typeof b.phone !== 'string') {
    problems.push({ field: 'phone', message: 'is required' });
    return failed(problems);
  }
  const phone = b.phone.replace(PHONE_PUNCTUATION, '');
  if (!E164.test(phone)) problems.push({ field: 'phone', message: 'must be an international number in E.164 form, such as +447700900123' });
  return result(problems, phone);
}

export function validatePushSubscription(input: unknown): Validated<PushSubscription> {
  const problems: FieldProblem[] = [];
  // expirationTime is part of what PushSubscription.toJSON() gives a browser app; it is accepted and not used.
  const b = body(input, ['endpoint', 'keys', 'expirationTime'], problems);
  if (!b) return failed(problems);
  const endpoint = httpsUrl(b.endpoint, 'endpoint', problems);
  let p256dh: string | null = null;
  let auth: string | null = null;
  if (!isPlainObject(b.keys)) {
    problems.push({ field: 'keys', message: 'must be {p256dh, auth} as the browser gives them' });
  } else {
    rejectUnknownKeys(b.keys, ['p256dh', 'auth'], 'keys', problems);
    p256dh = base64urlKey(b.keys.p256dh, 'keys.p256dh', P256DH_BYTES, problems);
    if (p256dh !== null && Buffer.from(p256dh, 'base64url')[0] !== 0x04) {
      problems.push({ field: 'keys.p256dh', message: 'must be an uncompressed P-256 public key' });
    }
    auth = base64urlKey(b.keys.auth, 'keys.auth', AUTH_SECRET_BYTES, problems);
  }
  if (b.expirationTime !== undefined && b.expirationTime !== null && typeof b.expirationTime !== 'number') {
    problems.push({ field: 'expirationTime', message: 'must be a number or null' });
  }
  return result(problems, endpoint !== null && p256dh !== null && auth !== null ? { endpoint, p256dh, auth } : null);
}

export function validatePushEndpoint(input: unknown): Validated<string> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['endpoint'], problems);
  if (!b) return failed(problems);
  return result(problems, httpsUrl(b.endpoint, 'endpoint', problems));
}

export function isChatChannel(value: string): value is ChatChannel {
  return (CHAT_CHANNELS as readonly string[]).includes(value);
}

export function validateChatUrl(input: unknown): Validated<string> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['url'], problems);
  if (!b) return failed(problems);
  return result(problems, httpsUrl(b.url, 'url', problems));
}

/** `{"routing_key"}` for PagerDuty, whose destination is a key sent with each event, not a URL. */
export function validateRoutingKey(input: unknown): Validated<string> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['routing_key'], problems);
  if (!b) return failed(problems);
  const key = typeof b.routing_key === 'string' ? b.routing_key.trim() : null;
  if (key === null || key.length === 0) problems.push({ field: 'routing_key', message: 'is required' });
  else if (!PAGERDUTY_ROUTING_KEY.test(key))
    problems.push({ field: 'routing_key', message: 'must be the 32-character integration key of an Events API v2 integration' });
  return result(problems, key);
}

/** The body of `PUT /v1/contacts/chat/<channel>`: a routing key for PagerDuty, an https URL for the others. */
export function validateChatDestination(channel: ChatChannel, input: unknown): Validated<string> {
  return channel === 'pagerduty' ? validateRoutingKey(input) : validateChatUrl(input);
}

export interface ProfileChange {
  timezone?: string;
  locale?: string;
}

export function validateProfile(input: unknown): Validated<ProfileChange> {
  const problems: FieldProblem[] = [];
  const b = body(input, ['timezone', 'locale'], problems);
  if (!b) return failed(problems);
  const change: ProfileChange = {};
  if (b.timezone === undefined && b.locale === undefined) problems.push({ field: '(body)', message: 'must set timezone, locale or both' });
  if (b.timezone !== undefined) {
    if (typeof b.timezone === 'string' && validTimeZone(b.timezone)) change.timezone = b.timezone;
    else problems.push({ field: 'timezone', message: 'must be an IANA time zone such as Europe/London' });
  }
  if (b.locale !== undefined) {
    const locale = typeof b.locale === 'string' ? canonicalLocale(b.locale) : null;
    if (locale) change.locale = locale;
    else problems.push({ field: 'locale', message: 'must be a BCP 47 language tag such as en or pt-BR' });
  }
  return result(problems, change);
}

export function canonicalLocale(tag: string): string | null {
  if (tag.length === 0 || tag.length > 35) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * An https URL without credentials in it. Where it may point (private networks, metadata addresses)
 * is checked by the channel worker at connect time, where a DNS answer cannot change under it.
 */
function httpsUrl(value: unknown, field: string, problems: FieldProblem[]): string | null {
  if (typeof value !== 'string' || value.length === 0) {
    problems.push({ field, message: 'is required' });
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ field, message: 'must be an absolute https URL' });
    return null;
  }
  if (value.length > MAX_URL_LENGTH) problems.push({ field, message: `must be at most ${MAX_URL_LENGTH} characters` });
  else if (url.protocol !== 'https:') problems.push({ field, message: 'must use https' });
  else if (url.username !== '' || url.password !== '') problems.push({ field, message: 'must not contain a user name or password' });
  else return url.href;
  return null;
}

function base64urlKey(value: unknown, field: string, bytes: number, problems: FieldProblem[]): string | null {
  if (typeof value !== 'string' || !BASE64URL.test(value) || Buffer.from(value, 'base64url').length !== bytes) {
    problems.push({ field, message: `must be ${bytes} bytes in base64url` });
    return null;
  }
  return value.replace(/=+$/, '');
}
