/**
 * The service worker of @notify/inbox-client: shows each Web Push message from channel-push as a
 * notification and, on a click, focuses a window already showing the notification's page or opens it.
 *
 * Its own URL's query configures it: `icon` (used when a message names none) and `open` (the page to
 * open when a message carries no link; default: this worker's scope).
 */
const worker = self as unknown as ServiceWorkerGlobalScope;
const settings = new URL(worker.location.href).searchParams;

/** What channel-push sends (title, body, tag, data); `icon` and `url` are honoured when a sender adds them. */
interface PushMessage {
  title?: string;
  body?: string;
  tag?: string;
  icon?: string;
  url?: string;
  data?: { notification_id?: string; url?: string; [key: string]: unknown };
}

function readMessage(event: PushEvent): PushMessage {
  if (!event.data) return {};
  try {
    const parsed: unknown = event.data.json();
    return parsed && typeof parsed === 'object' ? (parsed as PushMessage) : {};
  } catch {
    return { body: event.data.text() };
  }
}

function absolute(link: string): string {
  return new URL(link, worker.location.href).href;
}

worker.addEventListener('install', () => {
  // A new version takes over at once instead of waiting for every console tab to close.
  void worker.skipWaiting();
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(worker.clients.claim());
});

worker.addEventListener('push', (event) => {
  const message = readMessage(event);
  const id = message.data?.notification_id;
  const icon = message.icon ?? settings.get('icon');
  const link = absolute(message.url ?? message.data?.url ?? settings.get('open') ?? worker.registration.scope);
  event.waitUntil(
    worker.registration.showNotification(message.title ?? 'New notification', {
      body: message.body ?? '',
      // One notification per id: a message sent again replaces it instead of stacking a second one.
      ...((message.tag ?? id) ? { tag: message.tag ?? id } : {}),
      ...(icon ? { icon: absolute(icon) } : {}),
      data: { ...message.data, url: link },
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as { url?: string; notification_id?: string };
  event.waitUntil(openOrFocus(data.url ?? worker.registration.scope, data.notification_id));
});

/** A window on the same page (fragment aside) is focused and told which notification was clicked. */
async function openOrFocus(link: string, notificationId: string | undefined): Promise<void> {
  const target = new URL(link);
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => {
    const url = new URL(w.url);
    return url.origin === target.origin && url.pathname === target.pathname;
  });
  if (open) {
    await open.focus();
    open.postMessage({ type: 'notification-click', url: link, notification_id: notificationId ?? null });
    return;
  }
  await worker.clients.openWindow(link);
}
