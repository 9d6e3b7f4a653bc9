/**
 * Postgres LISTEN on a dedicated connection (a pooled one would lose the subscription when returned),
 * reconnecting after a second when the connection drops. Notifications sent while it was down are
 * lost, so every (re)connect calls `onConnect`, letting the owner re-read everything once.
 */
import { Client } from 'pg';

export interface ChangeListener {
  close(): Promise<void>;
}

export interface ChangeListenerOptions {
  url: string;
  channel: string;
  onNotify: (payload: string) => void;
  onConnect: () => void;
  /** Told of every lost connection before the reconnect. */
  onError: (error: unknown) => void;
  reconnectMs?: number;
}

export function listenForChanges(options: ChangeListenerOptions): ChangeListener {
  const { url, channel } = options;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid LISTEN channel ${channel}`);
  let client: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reconnect = (error?: unknown) => {
    const dropped = client;
    client = undefined;
    void dropped?.end().catch(() => undefined);
    if (closed || timer) return;
    if (error) options.onError(error);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, options.reconnectMs ?? 1_000);
  };

  const connect = async () => {
    const next = new Client({ connectionString: url });
    client = next;
    next.on('error', (error) => {
      if (client === next) reconnect(error);
    });
    next.on('end', () => {
      if (client === next) reconnect(new Error('connection ended'));
    });
    next.on('notification', (message) => {
      if (message.channel === channel) options.onNotify(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) {
        await next.end();
        return;
      }
      options.onConnect();
    } catch (error) {
      if (client === next) reconnect(error);
    }
  };

  void connect();
  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
