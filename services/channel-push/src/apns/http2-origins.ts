/**
 * One HTTP/2 session per origin, reused by every request (APNs asks providers to keep connections
 * open rather than reconnect per notification), replaced when the server closes it or sends GOAWAY.
 * A request resolves with the status, headers and body, or rejects on a transport failure or timeout.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface Http2Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class Http2Origins {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly options: { timeoutMs: number; ca?: string }) {}

  async post(origin: string, path: string, headers: OutgoingHttpHeaders, body: string): Promise<Http2Reply> {
    const session = this.session(origin);
    return new Promise<Http2Reply>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...headers });
      const chunks: Buffer[] = [];
      let responseHeaders: IncomingHttpHeaders = {};
      stream.setTimeout(this.options.timeoutMs, () => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(Object.assign(new Error(`no answer from ${origin} within ${this.options.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      stream.on('response', (h) => {
        responseHeaders = h;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        resolve({
          status: Number(responseHeaders[':status'] ?? 0),
          headers: responseHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      stream.on('error', reject);
      stream.end(body);
    });
  }

  private session(origin: string): ClientHttp2Session {
    const open = this.sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const session = connect(origin, this.options.ca ? { ca: this.options.ca } : {});
    const forget = () => {
      if (this.sessions.get(origin) === session) this.sessions.delete(origin);
    };
    // Failures reach the pending requests as stream errors; the session is only dropped here.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    this.sessions.set(origin, session);
    return session;
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      sessions.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            // A request that never got an answer must not hold the worker's shutdown.
            setTimeout(() => {
              s.destroy();
              resolve();
            }, 1_000).unref();
          }),
      ),
    );
  }
}
