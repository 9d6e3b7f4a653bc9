/**
 * The part the chat, incident and push fakes share: an HTTP(S) server on 127.0.0.1 that records each
 * request and answers either with a scripted reply (failNext / hangNext, in order) or with the fake's
 * own handler, which speaks the provider's API. Unlike ./scripted-http it serves TLS and keeps binary
 * bodies (web push payloads); it meets the same FakeProviderServer contract, so the shared provider
 * contract runs against these fakes too.
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
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const request: FakeRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw.toString('utf8'), raw };
      requests.push(request);
      const next = scripted.shift();
      if (next === 'hang') return;
      const answer = async (): Promise<void> => {
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
        if (next) return write(res, next);
        const reply = await options.handle(request);
        if (reply.status < 300) accepted.push(request);
        write(res, reply);
      };
      answer().catch((error: unknown) => write(res, { status: 500, body: String(error) }));
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createHttpServer(onRequest);
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
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function jsonBody<T>(request: FakeRequest): T {
  return JSON.parse(request.body) as T;
}
