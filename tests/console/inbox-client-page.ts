/**
 * A blank page on the API's origin that loads the browser inbox client the API serves, as a web app
 * on that origin would (an import map names the package), and records what each client reports.
 */
import type { BrowserContext, Page } from 'playwright-core';

const HTML = `<!doctype html>
<html><head><title>inbox client test</title>
<script type="importmap">{ "imports": { "@notify/inbox-client": "/console/inbox-client/inbox-client.js" } }</script>
<script type="module">
  import { InboxClient } from '@notify/inbox-client';
  window.InboxClient = InboxClient;
  window.clients = {};
  window.ready = true;
</script>
</head><body></body></html>`;

/** What one client reported, as kept in the page under window.clients[name]. */
export interface Recorded {
  items: { id: string; seq: number; title: string }[];
  statuses: string[];
  counts: number[];
}

/**
 * Opens the page; `html` replaces the blank page (the README example brings its own). The document is
 * one the API served, rewritten in place: a page fulfilled by the test itself would count as a public
 * one to Chromium, which then refuses it connections to 127.0.0.1 (local network access checks).
 */
export async function openClientPage(context: BrowserContext, baseUrl: string, html = HTML): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/health/ready`);
  await page.setContent(html);
  if (html === HTML) await page.waitForFunction('window.ready === true');
  return page;
}

/**
 * Creates window.clients[name] with the given token (or, with `tokenFrom`, getToken calling the page's
 * exposed function of that name) and starts recording; connect() is left to the test.
 */
export async function createClient(page: Page, name: string, options: { token?: string; tokenFrom?: string }): Promise<void> {
  await page.evaluate(
    ({ name, token, tokenFrom }) => {
      const w = globalThis as unknown as Record<string, any>;
      const record = { items: [] as unknown[], statuses: [] as string[], counts: [] as number[] };
      const client = new w.InboxClient({
        baseUrl: w.location.origin,
        ...(token ? { token } : { getToken: () => w[tokenFrom as string]() }),
        backoff: { initialMs: 200, maxMs: 1000 },
      });
      client.onNotification((item: { id: string; seq: number; title: string }) =>
        record.items.push({ id: item.id, seq: item.seq, title: item.title }),
      );
      client.onStatus((status: string) => record.statuses.push(status));
      client.onUnreadCount((count: number) => record.counts.push(count));
      w.clients[name] = { client, record };
    },
    { name, token: options.token, tokenFrom: options.tokenFrom },
  );
}

export function recorded(page: Page, name: string): Promise<Recorded> {
  return page.evaluate((name) => (globalThis as unknown as Record<string, any>).clients[name].record as Recorded, name);
}

/** Calls a method of window.clients[name].client in the page and returns its (serializable) result. */
export function call<T = unknown>(page: Page, name: string, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    async ({ name, method, args }) => {
      const client = (globalThis as unknown as Record<string, any>).clients[name].client;
      return client[method](...args) as T;
    },
    { name, method, args },
  );
}
