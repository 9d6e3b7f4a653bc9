/**
 * A small HTTP server for provider callbacks (delivery reports, inbound STOP). Each route gets the
 * raw body, since signatures are computed over exact bytes, and the path with its query string.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedbackRequest {
  method: string;
  /** Path and query as received, e.g. /twilio/status?n=ntf_1. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FeedbackResponse {
  status: number;
  contentType?: string;
  body?: string;
}

export type FeedbackRoute = (request: FeedbackRequest) => Promise<FeedbackResponse>;

export interface FeedbackServer {
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startFeedbackServer(
  port: number,
  routes: Record<string, FeedbackRoute>,
  onError: (error: unknown) => void,
): Promise<FeedbackServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!route || req.method !== 'POST') {
      res.writeHead(404).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      route({
        method: req.method ?? 'POST',
        url: req.url ?? path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }).then(
        (out) => res.writeHead(out.status, out.contentType ? { 'content-type': out.contentType } : {}).end(out.body ?? ''),
        (error: unknown) => {
          onError(error);
          // 5xx makes the provider deliver the callback again later.
          res.writeHead(503).end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
