/**
 * The body of POST /v1/devices: a native app's token or a browser's Web Push subscription, checked
 * field by field like the contact routes.
 *
 *   { "platform": "android" | "ios", "token": "...", "app_id": "com.example.trading", "locale"?: "fr-CA" }
 *   { "platform": "web", "subscription": { "endpoint", "keys": { "p256dh", "auth" } }, "locale"?: "fr" }
 */
import { isPushPlatform } from '@notify/schemas';
import { isPlainObject, join, rejectUnknownKeys, type FieldProblem, type Validated } from '../preferences/field-problems';
import { canonicalLocale, validatePushSubscription } from '../preferences/validate-contacts';
import type { DeviceRegistration } from './device-rows';

/** Reverse-DNS names: an Android package or an iOS bundle id (the APNs topic). */
const APP_ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
const MAX_APP_ID_LENGTH = 255;
/** FCM registration tokens: base64url-like text with colons, in practice 140–250 characters. */
const FCM_TOKEN = /^[A-Za-z0-9_:.-]{20,4096}$/;
/** APNs device tokens: hex, 32 bytes today; Apple warns the length may grow. */
const APNS_TOKEN = /^(?:[0-9a-fA-F]{2}){32,100}$/;

export function validateDevice(input: unknown): Validated<DeviceRegistration> {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(input)) return { ok: false, problems: [{ field: '(body)', message: 'must be a JSON object' }] };
  const { platform } = input;
  if (!isPushPlatform(platform)) {
    problems.push({ field: 'platform', message: 'must be one of ios, android, web' });
    return { ok: false, problems };
  }
  const locale = localeOf(input.locale, problems);
  if (platform === 'web') {
    rejectUnknownKeys(input, ['platform', 'subscription', 'locale'], '', problems);
    const subscription = validatePushSubscription(input.subscription);
    if (!subscription.ok)
      problems.push(
        ...subscription.problems.map((p) => ({
          field: p.field === '(body)' ? 'subscription' : join('subscription', p.field),
          message: p.message,
        })),
      );
    if (problems.length > 0 || !subscription.ok) return { ok: false, problems };
    const { endpoint, p256dh, auth } = subscription.value;
    return { ok: true, value: { platform, app_id: '', token: endpoint, subscription: { p256dh, auth }, locale } };
  }
  rejectUnknownKeys(input, ['platform', 'token', 'app_id', 'locale'], '', problems);
  const appId = typeof input.app_id === 'string' ? input.app_id : null;
  if (appId === null || appId.length > MAX_APP_ID_LENGTH || !APP_ID.test(appId)) {
    problems.push({
      field: 'app_id',
      message: `must be the ${platform === 'ios' ? 'bundle id' : 'package name'} of the app, such as com.example.trading`,
    });
  }
  const token = typeof input.token === 'string' ? input.token.trim() : null;
  if (platform === 'android' && (token === null || !FCM_TOKEN.test(token)))
    problems.push({ field: 'token', message: 'must be the FCM registration token the app received' });
  if (platform === 'ios' && (token === null || !APNS_TOKEN.test(token)))
    problems.push({ field: 'token', message: 'must be the APNs device token in hex' });
  if (problems.length > 0 || appId === null || token === null) return { ok: false, problems };
  // APNs tokens are case-insensitive hex; one spelling keeps one row per device.
  return {
    ok: true,
    value: { platform, app_id: appId, token: platform === 'ios' ? token.toLowerCase() : token, subscription: null, locale },
  };
}

function localeOf(value: unknown, problems: FieldProblem[]): string | null {
  if (value === undefined || value === null) return null;
  const locale = typeof value === 'string' ? canonicalLocale(value) : null;
  if (locale === null) problems.push({ field: 'locale', message: 'must be a BCP 47 language tag such as en or pt-BR' });
  return locale;
}
