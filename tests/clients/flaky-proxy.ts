/**
 * An HTTP proxy in front of ingest that can lose or replace answers, the way a load balancer or a
 * flaky network does, so a client's retries meet a real gateway. Each request takes the next planned
 * step; with none planned it is forwarded.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyStep =
  /** Forward, let ingest answer, then cut the connection: the client never hears the answer. */
  | 'drop-answer'
  /** Forward, then answer 504 instead of ingest's answer. */
  | 'gateway-timeout'
  /** Answer this without forwarding. */
  | { status: number; headers?: Record<string, string>; body?: unknown };

export interface ProxiedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Status ingest answered, when the request was forwarded. */
  upstreamStatus?: number;
}

export interface FlakyProxy {
  url: string;
  requests: ProxiedRequest[];
  plan(...steps: ProxyStep[]): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

export async function startFlakyProxy(upstream: string): Promise<FlakyProxy> {
  const requests: ProxiedRequest[] = [];
  const steps: ProxyStep[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: ProxiedRequest = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(seen);
      const step = steps.shift();
      if (step !== undefined && typeof step === 'object') {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers }).end(JSON.stringify(step.body ?? {}));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k))) as Record<string, string>;
      void fetch(upstream + seen.path, { method: req.method, headers, body: seen.body }).then(
        async (answer) => {
          const text = await answer.text();
          seen.upstreamStatus = answer.status;
          if (step === 'drop-answer') return void req.socket.destroy();
          if (step === 'gateway-timeout')
            return void res.writeHead(504, { 'content-type': 'text/html' }).end('<html><body>504 Gateway Time-out</body></html>');
          const passed: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
          for (const name of ['retry-after', 'idempotent-replayed']) {
            const value = answer.headers.get(name);
            if (value !== null) passed[name] = value;
          }
          res.writeHead(answer.status, passed).end(text);
        },
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    plan: (...planned) => void steps.push(...planned),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
