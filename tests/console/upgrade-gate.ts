/**
 * A reverse proxy in front of the API that passes every request and can refuse WebSocket upgrades
 * meanwhile, as some corporate proxies do. A page loaded through it talks to the API only through it.
 */
import { createServer, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface UpgradeGate {
  url: string;
  /** While true, upgrades are answered 503 and never reach the API. */
  refuseUpgrades: boolean;
  close(): Promise<void>;
}

export async function startUpgradeGate(target: string): Promise<UpgradeGate> {
  const { hostname, port } = new URL(target);
  const tunnels = new Set<Duplex | Socket>();
  const server = createServer((req, res) => {
    const upstream = request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  const gate: UpgradeGate = {
    url: '',
    refuseUpgrades: false,
    close: () =>
      new Promise((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('upgrade', (req, client: Duplex, head: Buffer) => {
    if (gate.refuseUpgrades) return void client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    const upstream = connect(Number(port), hostname, () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => {
        tunnels.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return gate;
}
