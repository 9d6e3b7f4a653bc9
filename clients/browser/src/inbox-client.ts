/**
 * A user's live inbox in the browser: notifications as they are stored (each once, oldest first, with
 * nothing lost across dropped connections), the unread count, read / unread / acknowledge / archive,
 * the inbox's pages, and Web Push for when the page is closed.
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import { InboxHttp, type ListOptions } from './inbox-http.js';
import { LiveConnection } from './live-connection.js';
import { subscribePush, type PushOptions } from './push.js';
import { SeqLedger } from './seq-ledger.js';
import { AuthError, TokenSource, type GetToken } from './token-source.js';
import type { ConnectionStatus, InboxItem, InboxPage, StatusDetail } from './types.js';

export { AuthError, type GetToken } from './token-source.js';
export { InboxApiError, type ListOptions } from './inbox-http.js';
export { PushUnavailableError, type PushOptions } from './push.js';
export type { BackoffOptions } from './backoff.js';
export type { ConnectionStatus, InboxItem, InboxPage, StatusDetail } from './types.js';

export interface InboxClientOptions {
  /** Origin (and path prefix, if any) of the notify-platform API, e.g. https://api.example.com. */
  baseUrl: string;
  /** The user's token (a JWT issued for them). Give this or getToken. */
  token?: string;
  /** Called for the first token, before the current one expires, and when the API refused it. */
  getToken?: GetToken;
  /** Reconnect delays (default: from 0.5 s doubling to 30 s, with jitter). */
  backoff?: BackoffOptions;
}

export interface ConnectOptions {
  /**
   * Deliver the notifications stored after this seq, e.g. the newest one of a page the app already shows.
   * Default: those stored after connect() was first called. Only the first connect() reads it; later
   * ones resume where delivery stopped.
   */
  after?: number;
}

type Listener<A extends unknown[]> = (...args: A) => void;

/** Delivered seqs kept for de-duplication. */
const DEDUPE_CAPACITY = 10_000;
/**
 * How long a socket must stay open after a notification before the reconnect cursor moves past it, and
 * how old a REST listing must be before what it showed is delivered: longer than storing a row takes.
 */
const SETTLE_MS = 5_000;
/** Notifications arriving close together cost one unread-count request. */
const COUNT_REFRESH_DELAY_MS = 100;

export class InboxClient {
  private readonly tokens: TokenSource;
  private readonly http: InboxHttp;
  private readonly ledger = new SeqLedger({ settleMs: SETTLE_MS, capacity: DEDUPE_CAPACITY });
  private readonly live: LiveConnection;
  private readonly listeners = {
    notification: new Set<Listener<[InboxItem]>>(),
    unread: new Set<Listener<[number]>>(),
    status: new Set<Listener<[ConnectionStatus, StatusDetail]>>(),
  };
  private currentStatus: ConnectionStatus = 'closed';
  private lastCount: number | null = null;
  private countRequest = 0;
  private countTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: InboxClientOptions) {
    const baseUrl = new URL(options.baseUrl).href;
    this.tokens = new TokenSource(options.token, options.getToken);
    this.http = new InboxHttp(baseUrl, this.tokens, (error) => this.live.authFailed(error));
    this.live = new LiveConnection({
      baseUrl,
      tokens: this.tokens,
      http: this.http,
      ledger: this.ledger,
      backoff: new Backoff(options.backoff),
      settleMs: SETTLE_MS,
      deliver: (items) => this.deliver(items),
      status: (status, detail) => this.setStatus(status, detail),
    });
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /**
   * Starts the live connection; it reconnects by itself until disconnect() or an auth failure. Resolves
   * when it is first open; rejects with AuthError when the API refuses the token (and getToken cannot
   * replace it), or when disconnect() comes first.
   */
  connect(options: ConnectOptions = {}): Promise<void> {
    if (options.after !== undefined) this.ledger.startAfter(options.after);
    const ready = new Promise<void>((resolve, reject) => {
      if (this.currentStatus === 'open') return resolve();
      const off = this.onStatus((status, detail) => {
        if (status === 'open') resolve();
        else if (status === 'auth_failed') reject(new AuthError(detail.reason ?? 'the API refused the token'));
        else if (status === 'closed' && detail.retryInMs === undefined) reject(new Error('disconnected before the connection opened'));
        else return;
        off();
      });
    });
    this.live.start();
    return ready;
  }

  /** Closes the connection and stops reconnecting. */
  disconnect(): void {
    clearTimeout(this.countTimer);
    this.countTimer = undefined;
    this.live.stop();
  }

  /** Every new notification, once, oldest first. Returns a function that removes the listener. */
  onNotification(listener: (item: InboxItem) => void): () => void {
    return this.listen(this.listeners.notification, listener);
  }

  /** The unread count whenever it changes (read from the API on connect and after every change). */
  onUnreadCount(listener: (count: number) => void): () => void {
    return this.listen(this.listeners.unread, listener);
  }

  onStatus(listener: (status: ConnectionStatus, detail: StatusDetail) => void): () => void {
    return this.listen(this.listeners.status, listener);
  }

  list(options: ListOptions = {}): Promise<InboxPage> {
    return this.http.list(options);
  }

  async unreadCount(): Promise<number> {
    const count = await this.http.unreadCount();
    this.publishCount(count);
    return count;
  }

  markRead(id: string): Promise<InboxItem> {
    return this.change(id, 'read');
  }

  markUnread(id: string): Promise<InboxItem> {
    return this.change(id, 'unread');
  }

  /** Acknowledges (and reads) a notification; this stops its escalation. */
  acknowledge(id: string): Promise<InboxItem> {
    return this.change(id, 'ack');
  }

  archive(id: string): Promise<InboxItem> {
    return this.change(id, 'archive');
  }

  /** Asks for permission, registers the service worker and stores this browser's push subscription with the API. */
  subscribePush(options: PushOptions): Promise<PushSubscriptionJSON> {
    return subscribePush(this.http, options);
  }

  private async change(id: string, action: 'read' | 'unread' | 'ack' | 'archive'): Promise<InboxItem> {
    const item = await this.http.change(id, action);
    // The change is made; a count that cannot be read now is read again on the next change or reconnect.
    await this.refreshCount().catch(() => undefined);
    return item;
  }

  private deliver(items: InboxItem[]): void {
    for (const item of items) this.emit(this.listeners.notification, item);
    this.scheduleCountRefresh();
  }

  private setStatus(status: ConnectionStatus, detail: StatusDetail): void {
    this.currentStatus = status;
    this.emit(this.listeners.status, status, detail);
    if (status === 'open') void this.refreshCount().catch(() => undefined);
  }

  private scheduleCountRefresh(): void {
    if (this.countTimer !== undefined || this.listeners.unread.size === 0) return;
    this.countTimer = setTimeout(() => {
      this.countTimer = undefined;
      // A failure here is followed by the next notification's or reconnect's refresh.
      void this.refreshCount().catch(() => undefined);
    }, COUNT_REFRESH_DELAY_MS);
  }

  /** Only the newest request's answer is published, so a slow older answer cannot overwrite it. */
  private async refreshCount(): Promise<void> {
    if (this.listeners.unread.size === 0) return;
    const request = ++this.countRequest;
    const count = await this.http.unreadCount();
    if (request === this.countRequest) this.publishCount(count);
  }

  private publishCount(count: number): void {
    this.countRequest++;
    if (count === this.lastCount) return;
    this.lastCount = count;
    this.emit(this.listeners.unread, count);
  }

  private listen<A extends unknown[]>(set: Set<Listener<A>>, listener: Listener<A>): () => void {
    set.add(listener);
    return () => void set.delete(listener);
  }

  private emit<A extends unknown[]>(set: Set<Listener<A>>, ...args: A): void {
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        // One app listener's bug must not stop delivery to the others, nor the connection.
        globalThis.reportError?.(error);
      }
    }
  }
}
