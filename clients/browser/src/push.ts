/**
 * Web Push: registers the service worker that shows pushed notifications, subscribes this browser with
 * the push service under the platform's VAPID key, and stores the subscription with the API, where
 * channel-push finds it.
 */
import type { InboxHttp } from './inbox-http.js';

export interface PushOptions {
  /** The VAPID public key channel-push signs with (URL-safe base64, as web-push prints it). */
  vapidPublicKey: string;
  /**
   * URL of the service worker script (dist/service-worker.js of this package, served by your origin).
   * Its query may set `icon` (the notifications' icon when a message names none) and `open` (the page a
   * click opens when a message carries no link; default: the service worker's scope).
   */
  serviceWorkerUrl: string | URL;
  /** Registration scope; default: the script's directory. */
  scope?: string;
}

export class PushUnavailableError extends Error {
  override readonly name = 'PushUnavailableError';
}

export function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function sameBytes(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}

/** Resolves once the registration has an active worker: the push manager subscribes only then. */
function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return Promise.reject(new PushUnavailableError('the service worker registered without a worker'));
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') reject(new PushUnavailableError('the service worker failed to install'));
    });
  });
}

export async function subscribePush(http: InboxHttp, options: PushOptions): Promise<PushSubscriptionJSON> {
  if (
    typeof navigator === 'undefined' ||
    !('serviceWorker' in navigator) ||
    typeof PushManager === 'undefined' ||
    typeof Notification === 'undefined'
  ) {
    throw new PushUnavailableError('this browser has no Web Push (or the page is not served over https)');
  }
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted')
    throw new PushUnavailableError(`notifications are ${permission === 'denied' ? 'blocked' : 'not allowed'} for this site`);

  const registration = await navigator.serviceWorker.register(
    options.serviceWorkerUrl,
    options.scope ? { scope: options.scope } : undefined,
  );
  await activated(registration);
  const key = base64UrlBytes(options.vapidPublicKey);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made under another VAPID key cannot receive this platform's messages.
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON();
  await http.post('/v1/contacts/push-subscriptions', {
    endpoint: json.endpoint,
    keys: json.keys,
    expirationTime: json.expirationTime ?? null,
  });
  return json;
}
