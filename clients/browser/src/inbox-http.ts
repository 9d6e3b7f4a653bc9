/**
 * The inbox's REST calls. A 401 is answered once with a fresh token from the app (when it gave a
 * getToken function); a second refusal is an AuthError. Other failures carry the API's error code.
 */
import { AuthError, type TokenSource } from './token-source.js';
import type { InboxItem, InboxPage } from './types.js';

export class InboxApiError extends Error {
  override readonly name = 'InboxApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ListOptions {
  /** A page's `nextCursor`, for the page after it; omit for the newest page. */
  cursor?: string | null;
  /** 1 to 100 (default 20). */
  limit?: number;
  /** Only unread notifications. */
  unread?: boolean;
  /** Archived notifications instead of the others. */
  archived?: boolean;
}

export class InboxHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenSource,
    private readonly onAuthFailed: (error: AuthError) => void,
  ) {}

  async list(options: ListOptions = {}): Promise<InboxPage> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.cursor) query.set('cursor', options.cursor);
    if (options.unread) query.set('unread', 'true');
    if (options.archived) query.set('archived', 'true');
    const page = await this.call<{ items: InboxItem[]; next_cursor: string | null }>('GET', `/v1/notifications?${query}`);
    return { items: page.items, nextCursor: page.next_cursor };
  }

  async unreadCount(): Promise<number> {
    return (await this.call<{ unread: number }>('GET', '/v1/notifications/unread-count')).unread;
  }

  /** read, unread, ack or archive: the notification as it is afterwards. */
  change(id: string, action: 'read' | 'unread' | 'ack' | 'archive'): Promise<InboxItem> {
    return this.call<InboxItem>('POST', `/v1/notifications/${encodeURIComponent(id)}/${action}`, {});
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, await this.tokens.current(), body);
    if (response.status === 401 && this.tokens.refreshable) response = await this.send(method, path, await this.tokens.fresh(), body);
    const text = await response.text();
    const json = parseJson(text) as { error?: { code?: string; message?: string } } | undefined;
    if (response.status === 401) {
      const error = new AuthError(json?.error?.message ?? 'the API refused the token');
      this.onAuthFailed(error);
      throw error;
    }
    if (!response.ok) {
      throw new InboxApiError(
        response.status,
        json?.error?.code ?? 'http_error',
        json?.error?.message ?? `${method} ${path} answered HTTP ${response.status}`,
      );
    }
    if (json === undefined) throw new InboxApiError(response.status, 'bad_response', `${method} ${path} answered without a JSON body`);
    return json as T;
  }

  private send(method: string, path: string, token: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
