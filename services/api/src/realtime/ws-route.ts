/**
 * GET /v1/ws?token=<jwt>[&cursor=<seq>]: the user's live inbox. The token is checked before the
 * upgrade (401, no socket). With a cursor, every stored row after it is sent first, oldest first, then
 * live items; a client may also send `{"cursor":"<seq>"}` at any time to catch up again. Each message
 * is one inbox item as JSON, the same shape as the REST list, sent at most once per seq.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { requireUser } from '../auth';
import { ownerOf } from '../http/owner';
import { cursorParam } from '../http/schemas';
import type { InboxRepository } from '../inbox/inbox-repository';
import { viewOfRow, type InboxItemView } from '../inbox/inbox-view';
import { InboxSession } from './inbox-session';
import type { RealtimeMetrics } from './realtime-metrics';
import type { SocketHub } from './socket-hub';

export interface WsRouteDeps {
  jwtSecret: string;
  inbox: InboxRepository;
  hub: SocketHub;
  metrics: RealtimeMetrics;
  pingIntervalMs: number;
  catchUpPageSize: number;
}

function cursorFromMessage(data: unknown): string | null {
  try {
    const parsed: unknown = JSON.parse(String(data));
    const cursor = parsed && typeof parsed === 'object' ? (parsed as { cursor?: unknown }).cursor : undefined;
    const text = typeof cursor === 'number' ? String(cursor) : cursor;
    return typeof text === 'string' && /^[0-9]{1,18}$/.test(text) ? text : null;
  } catch {
    return null;
  }
}

function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) return void socket.terminate();
    alive = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function registerWsRoute(app: FastifyInstance, deps: WsRouteDeps): void {
  app.get('/v1/ws', {
    websocket: true,
    preValidation: requireUser(deps.jwtSecret),
    schema: {
      summary: 'Live inbox over WebSocket (each message is one inbox item as JSON)', tags: ['inbox'],
      description: 'Upgrade to a WebSocket. Refused with 401 before the upgrade when the token is missing or invalid. '
        + 'With `cursor`, stored items after it are sent first; a client message `{"cursor":"<seq>"}` catches up again.',
      querystring: { type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'User JWT' }, cursor: cursorParam } },
    },
  }, (socket, request) => {
    const owner = ownerOf(request);
    const session = new InboxSession((item: InboxItemView) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(item));
    });
    const load = async (after: string) => (await deps.inbox.after(owner, after, deps.catchUpPageSize)).map(viewOfRow);
    const remove = deps.hub.add(owner.tenant, owner.userId, session);
    deps.metrics.sessions.inc();
    const stopPings = keepAlive(socket, deps.pingIntervalMs);
    const catchUp = (cursor: string) => {
      session.catchUp(cursor, load).catch((error: unknown) => {
        request.log.warn({ err: error }, 'catch-up failed');
        socket.close(1011, 'catch-up failed; reconnect with your cursor');
      });
    };
    socket.on('message', (data) => {
      const cursor = cursorFromMessage(data);
      if (cursor !== null) catchUp(cursor);
    });
    socket.on('close', () => {
      remove();
      stopPings();
      deps.metrics.sessions.dec();
    });
    const { cursor } = request.query as { cursor?: string };
    if (cursor !== undefined) catchUp(cursor);
  });
}
