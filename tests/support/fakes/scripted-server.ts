/**
 * What every fake provider server shares: an HTTP(S) server on 127.0.0.1 that records each request
 * and answers either with a scripted reply (failNext / hangNext, in order) or with the fake's own
 * handler, which speaks the provider's API. It serves TLS when given a certificate and keeps binary
 * bodies (web push payloads), and counts requests in flight so benchmarks can show whether a worker
 * keeps many provider calls open.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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
  latencyMs?: number;
  handle(request: FakeRequest): FakeReply | Promise<FakeReply>;
}

function write(res: ServerResponse, reply: FakeReply): void {
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
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const request: FakeRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw.toString('utf8'), raw };
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
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createHttpServer(onRequest);
  // Provider SDKs keep connections alive between calls; closing them early would measure reconnects.
  server.keepAliveTimeout = 30_000;
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function jsonBody<T>(request: FakeRequest): T {
  return JSON.parse(request.body) as T;
}
