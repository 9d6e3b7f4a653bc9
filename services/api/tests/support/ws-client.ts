/** A WebSocket client that records every message with its arrival time. */
import WebSocket from 'ws';

export interface Received {
  at: number;
  item: { id: string; seq: number; created_at: string; title: string };
}

export interface WsClient {
  received: Received[];
  socket: WebSocket;
  /** How the server ended the session, once it has. */
  closed: { code: number; reason: string } | null;
  close(): Promise<void>;
}

export function connectWs(url: string): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const received: Received[] = [];
    socket.on('message', (data) => received.push({ at: Date.now(), item: JSON.parse(String(data)) as Received['item'] }));
    const client: WsClient = {
      received,
      socket,
      closed: null,
      close: () =>
        new Promise<void>((done) => {
          if (socket.readyState === WebSocket.CLOSED) return done();
          socket.once('close', () => done());
          socket.close();
        }),
    };
    socket.once('close', (code, reason) => {
      client.closed = { code, reason: reason.toString('utf8') };
    });
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}
