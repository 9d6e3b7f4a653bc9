/**
 * The live side of the inbox: one WebSocket at a time on /v1/ws, reopened with jittered backoff from
 * the ledger's cursor, so the API sends what was missed before live items; the ledger drops what was
 * delivered already. A socket that could not be opened at all is followed by one REST call: browsers
 * do not show why an upgrade was refused, and the REST answer tells a refused token (401: fetch a
 * fresh one or give up) from an API that cannot be reached; when the REST API does answer, the
 * notifications the socket could not bring are read from it meanwhile.
 */
import type { Backoff } from './backoff.js';
import type { InboxHttp } from './inbox-http.js';
import type { SeqLedger } from './seq-ledger.js';
import { SettledListings } from './settled-listings.js';
import { AuthError, MIN_REFRESH_DELAY_MS, refreshDelay, type TokenSource } from './token-source.js';
import type { ConnectionStatus, InboxItem, StatusDetail } from './types.js';

/** The API's close codes: the token expired (a fresh one may help) or belongs to another user (it cannot). */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_TOKEN_FORBIDDEN = 4403;

/** REST pages read, newest first, when filling from the API while the socket is down. */
const FILL_PAGE_SIZE = 100;
const FILL_MAX_PAGES = 10;

export interface LiveConnectionDeps {
  baseUrl: string;
  tokens: TokenSource;
  http: InboxHttp;
  ledger: SeqLedger;
  backoff: Backoff;
  /** How long after a REST listing a seq it showed counts as settled (see fillFromRest). */
  settleMs: number;
  /** New notifications, oldest first. */
  deliver: (items: InboxItem[]) => void;
  status: (status: ConnectionStatus, detail: StatusDetail) => void;
}

export class LiveConnection {
  private socket: WebSocket | null = null;
  private running = false;
  /** Bumped by every start and stop, so work begun for an earlier run does nothing once it resumes. */
  private run = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listings: SettledListings;
  private readonly retryNow = () => {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.attempt(this.run);
  };

  constructor(private readonly deps: LiveConnectionDeps) {
    this.listings = new SettledListings(deps.settleMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const run = ++this.run;
    // Back online: waiting out the backoff would only delay the catch-up.
    globalThis.addEventListener?.('online', this.retryNow);
    void this.attempt(run);
  }

  stop(): void {
    if (!this.running) return;
    this.halt();
    this.deps.status('closed', {});
  }

  /** The API refused the token for good: stop retrying until the app connects again. */
  authFailed(error: AuthError): void {
    if (!this.running) return;
    this.halt();
    this.deps.status('auth_failed', { reason: error.message });
  }

  private halt(): void {
    this.running = false;
    this.run++;
    globalThis.removeEventListener?.('online', this.retryNow);
    clearTimeout(this.retryTimer);
    clearTimeout(this.refreshTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      this.deps.ledger.socketClosed();
      socket.close(1000, 'client disconnected');
    }
  }

  private async attempt(run: number): Promise<void> {
    this.deps.status('connecting', {});
    let token: string;
    try {
      token = await this.deps.tokens.current();
      if (this.deps.ledger.cursor === null) this.deps.ledger.startAfter(await this.newestSeq());
    } catch (error) {
      if (run !== this.run) return;
      if (error instanceof AuthError) return this.authFailed(error);
      return this.retryLater(run, { reason: error instanceof Error ? error.message : String(error) });
    }
    if (run !== this.run) return;
    const socket = new WebSocket(this.url(token, this.deps.ledger.cursor ?? 0));
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.deps.backoff.reset();
      this.deps.status('open', {});
      this.scheduleRefresh(socket, token);
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => void this.closed(run, socket, opened, event.code, event.reason);
  }

  private url(token: string, cursor: number): string {
    const url = new URL('/v1/ws', this.deps.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    url.searchParams.set('cursor', String(cursor));
    return url.href;
  }

  /** Where live delivery starts when the app named no seq: after the newest notification, archived or not. */
  private async newestSeq(): Promise<number> {
    const [current, archived] = await Promise.all([this.deps.http.list({ limit: 1 }), this.deps.http.list({ limit: 1, archived: true })]);
    return Math.max(0, ...[...current.items, ...archived.items].map((item) => item.seq));
  }

  private receive(data: unknown): void {
    let item: InboxItem;
    try {
      item = JSON.parse(String(data)) as InboxItem;
    } catch {
      return;
    }
    if (typeof item?.seq !== 'number' || typeof item.id !== 'string') return;
    if (this.deps.ledger.admit(item.seq, true)) this.deps.deliver([item]);
  }

  private async closed(run: number, socket: WebSocket, opened: boolean, code: number, reason: string): Promise<void> {
    if (socket !== this.socket) return;
    this.socket = null;
    clearTimeout(this.refreshTimer);
    this.deps.ledger.socketClosed();
    if (run !== this.run) return;
    if (code === CLOSE_TOKEN_FORBIDDEN) return this.authFailed(new AuthError(reason || 'the token is for another user'));
    if (code === CLOSE_TOKEN_EXPIRED) {
      if (!this.deps.tokens.refreshable) return this.authFailed(new AuthError(reason || 'the token expired'));
      try {
        await this.deps.tokens.fresh();
      } catch (error) {
        return this.authFailed(error instanceof AuthError ? error : new AuthError(`getToken failed: ${String(error)}`));
      }
      if (run !== this.run) return;
      this.deps.status('closed', { code, reason, retryInMs: 0 });
      return void this.attempt(run);
    }
    if (!opened) {
      try {
        await this.fillFromRest();
      } catch (error) {
        // A 401 has stopped this run already (through the REST client); anything else: the API is out of reach.
        if (error instanceof AuthError) return;
      }
    }
    this.retryLater(run, { code, reason });
  }

  private retryLater(run: number, detail: StatusDetail): void {
    if (run !== this.run) return;
    const delay = this.deps.backoff.next();
    this.deps.status('closed', { ...detail, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.attempt(run);
    }, delay);
  }

  /**
   * Everything above the cursor that the REST API lists, oldest first, minus what was delivered; only
   * up to the seq that listings made settleMs ago vouch for (a listing can miss a row that commits
   * late). The rest waits for a later fill or the socket's catch-up.
   */
  private async fillFromRest(): Promise<void> {
    const floor = this.deps.ledger.cursor;
    if (floor === null) return;
    const listedAt = Date.now();
    const found: InboxItem[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < FILL_MAX_PAGES; page++) {
      const { items, nextCursor } = await this.deps.http.list({ cursor, limit: FILL_PAGE_SIZE });
      found.push(...items.filter((item) => item.seq > floor));
      if (nextCursor === null || items.some((item) => item.seq <= floor)) break;
      cursor = nextCursor;
    }
    const upTo = this.listings.record(Math.max(floor, ...found.map((item) => item.seq)), listedAt);
    if (upTo === null) return;
    const fresh = found
      .filter((item) => item.seq <= upTo)
      .sort((a, b) => a.seq - b.seq)
      .filter((item) => this.deps.ledger.admit(item.seq, false));
    if (fresh.length > 0) this.deps.deliver(fresh);
  }

  /** Sends a fresh token on the open socket before the current one expires, so the API keeps it open. */
  private scheduleRefresh(socket: WebSocket, token: string): void {
    if (!this.deps.tokens.refreshable) return;
    const delay = refreshDelay(token, Date.now());
    if (delay === null) return;
    this.refreshTimer = setTimeout(() => {
      this.deps.tokens.fresh().then(
        (fresh) => {
          if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
          socket.send(JSON.stringify({ token: fresh }));
          this.scheduleRefresh(socket, fresh);
        },
        () => {
          // The app could not give a token now; try again shortly (the API closes with 4401 if none comes).
          if (socket === this.socket) this.refreshTimer = setTimeout(() => this.scheduleRefresh(socket, token), MIN_REFRESH_DELAY_MS * 5);
        },
      );
    }, delay);
  }
}
