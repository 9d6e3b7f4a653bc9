/**
 * What every fake provider server shares: an HTTP(S) server on 127.0.0.1 that records each request
 * and answers either with a scripted reply (failNext / hangNext, in order) or with the fake's own
 * handler, which speaks the provider's API. It serves TLS when given a certificate (HTTP/2 only with
 * `http2`, as APNs does) and keeps binary bodies (web push payloads), and counts requests in flight
 * so benchmarks can show whether a worker keeps many provider calls open.
 */
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body's bytes (encrypted push payloads are binary). */
  raw: Buffer;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export interface ScriptedServer {
  url: string;
  /** Every request that reached the server, answered or not. */
  requests: FakeRequest[];
  /** Requests the fake's own handler answered with success: what the provider actually "sent". */
  accepted: FakeRequest[];
  failNext(...replies: FakeReply[]): void;
  /** The next `count` requests are never answered (until close): a stuck provider, a crash mid-call. */
  hangNext(count?: number): void;
  setLatency(ms: number): void;
  /** The most requests received and not yet answered at one time. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  tls?: { key: string; cert: string };
  /** Serve HTTP/2 over TLS, and only that (needs `tls`). */
  http2?: boolean;
  latencyMs?: number;
  handle(request: FakeRequest): FakeReply | Promise<FakeReply>;
}

function write(res: ServerResponse | Http2ServerResponse, reply: FakeReply): void {
  const isJson = reply.body !== undefined && typeof reply.body !== 'string';
  const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers }).end(text);
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const requests: FakeRequest[] = [];
  const accepted: FakeRequest[] = [];
  const scripted: Array<FakeReply | 'hang'> = [];
  let latencyMs = options.latencyMs ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const onRequest = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: raw.toString('utf8'),
        raw,
      };
      requests.push(request);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const next = scripted.shift();
      if (next === 'hang') return;
      const answer = async (): Promise<FakeReply> => {
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
        if (next) return next;
        const reply = await options.handle(request);
        if (reply.status < 300) accepted.push(request);
        return reply;
      };
      void answer()
        .catch((error: unknown): FakeReply => ({ status: 500, body: String(error) }))
        .then((reply) => {
          inFlight -= 1;
          write(res, reply);
        });
    });
  };
  const sessions = new Set<Http2Session>();
  let server: Server | ReturnType<typeof createSecureServer>;
  if (options.http2) {
    if (!options.tls) throw new Error('an HTTP/2 fake needs a TLS certificate');
    const secure = createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: false }, onRequest);
    secure.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.on('close', () => sessions.delete(session));
    });
    server = secure;
  } else {
    const plain = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
      : createHttpServer(onRequest);
    // Provider SDKs keep connections alive between calls; closing them early would measure reconnects.
    plain.keepAliveTimeout = 30_000;
    server = plain;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    accepted,
    failNext: (...replies) => scripted.push(...replies),
    hangNext: (count = 1) => scripted.push(...Array.from({ length: count }, () => 'hang' as const)),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

export function jsonBody<T>(request: FakeRequest): T {
  return JSON.parse(request.body) as T;
}
