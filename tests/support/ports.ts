import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768-60999 by default): a port the kernel hands to
 * the outgoing connections of any process (a Kafka client's socket) can be taken between the moment
 * it was found free and the moment the service binds it, and a service told that port then fails to
 * start. Ports handed out by this process are not handed out again.
 */
const LOW = 20_000;
const HIGH = 32_000;
const handedOut = new Set<number>();

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago, for services that must be told their port up front. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await tryBind(port)) return port;
  }
  throw new Error(`no free port found between ${LOW} and ${HIGH}`);
}
