/**
 * The scripting every fake provider server shares: answer the next requests with given failures,
 * hang (never answer) to simulate a stuck provider or a crash mid-call, and add latency. Successful
 * answers come from the provider-specific `succeed` function.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

/** What the provider contract needs from any fake provider server. */
export interface FakeProviderServer {
  url: string;
  /** Every request that reached the server, answered or not. */
  requests: FakeRequest[];
  /** Requests answered with success: what the provider actually "sent". */
  accepted: FakeRequest[];
  failNext(...responses: ScriptedResponse[]): void;
  /** The next `count` requests are never answered (until close). */
  hangNext(count?: number): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** An HTTP fake that also counts requests in flight (received, not yet answered), for benchmarks. */
export interface ScriptedHttpFake extends FakeProviderServer {
  maxInFlight(): number;
}

export async function startScriptedFake(succeed: (request: FakeRequest) => ScriptedResponse, options: { latencyMs?: number } = {}): Promise<ScriptedHttpFake> {
  const requests: FakeRequest[] = [];
  const accepted: FakeRequest[] = [];
  const scripted: Array<ScriptedResponse | 'hang'> = [];
  let latencyMs = options.latencyMs ?? 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const answer = (res: ServerResponse, r: ScriptedResponse) => {
    inFlight--;
    const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const type = typeof r.body === 'object' ? { 'content-type': 'application/json' } : {};
    res.writeHead(r.status, { ...type, ...r.headers }).end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: FakeRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const next = scripted.shift();
      if (next === 'hang') return;
      setTimeout(() => {
        if (next) return answer(res, next);
        const ok = succeed(request);
        if (ok.status < 300) accepted.push(request);
        answer(res, ok);
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    failNext: (...responses) => scripted.push(...responses),
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
