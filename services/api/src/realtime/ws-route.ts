/**
 * GET /v1/ws?token=<jwt>[&cursor=<seq>]: the user's live inbox. The token is checked before the
 * upgrade (401, no socket). With a cursor, every stored row after it is sent first, oldest first, then
 * live items; a client may also send `{"cursor":"<seq>"}` at any time to catch up again. Each message
 * is one inbox item as JSON, the same shape as the REST list, sent at most once per seq.
 *
 * The socket closes with 4401 when its token expires; a client keeps it open by sending
 * `{"token":"<fresh jwt>"}` for the same user beforehand. A token for anyone else closes it with 4403.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { InvalidTokenError, requireUser, TokenKeysUnavailableError, type TokenVerifier } from '../auth';
import { ownerOf } from '../http/owner';
import { cursorParam } from '../http/schemas';
import type { InboxRepository } from '../inbox/inbox-repository';
import { viewOfRow, type InboxItemView } from '../inbox/inbox-view';
import { InboxSession } from './inbox-session';
import type { RealtimeMetrics } from './realtime-metrics';
import { SessionExpiry } from './session-expiry';
import type { SocketHub } from './socket-hub';

export interface WsRouteDeps {
  tokens: TokenVerifier;
  inbox: InboxRepository;
  hub: SocketHub;
  metrics: RealtimeMetrics;
  pingIntervalMs: number;
  catchUpPageSize: number;
}

/** Close codes in the private range, mirroring HTTP's 401 and 403. */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_TOKEN_FORBIDDEN = 4403;

interface ClientMessage {
  cursor: string | null;
  token: string | null;
}

function parseClientMessage(data: unknown): ClientMessage {
  try {
    const parsed: unknown = JSON.parse(String(data));
    const fields = parsed && typeof parsed === 'object' ? (parsed as { cursor?: unknown; token?: unknown }) : {};
    const cursor = typeof fields.cursor === 'number' ? String(fields.cursor) : fields.cursor;
    return {
      cursor: typeof cursor === 'string' && /^[0-9]{1,18}$/.test(cursor) ? cursor : null,
      token: typeof fields.token === 'string' && fields.token.length > 0 ? fields.token : null,
    };
  } catch {
    return { cursor: null, token: null };
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
  app.get(
    '/v1/ws',
    {
      websocket: true,
      preValidation: requireUser(deps.tokens, { allowQueryToken: true }),
      schema: {
        summary: 'Live inbox over WebSocket (each message is one inbox item as JSON)',
        tags: ['inbox'],
        description:
          'Upgrade to a WebSocket. Refused with 401 before the upgrade when the token is missing or invalid. ' +
          'With `cursor`, stored items after it are sent first; a client message `{"cursor":"<seq>"}` catches up again. ' +
          'The socket closes with 4401 when the token expires unless the client first sends `{"token":"<fresh jwt>"}` for the same user (4403 for another user).',
        querystring: {
          type: 'object',
          required: ['token'],
          properties: { token: { type: 'string', description: 'User JWT' }, cursor: cursorParam },
        },
      },
    },
    (socket, request) => {
      const owner = ownerOf(request);
      const expiry = new SessionExpiry(request.user?.acceptedUntilMs ?? 0, () =>
        socket.close(CLOSE_TOKEN_EXPIRED, 'token expired; reconnect with a fresh token and your cursor'),
      );
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
      const refreshToken = async (token: string) => {
        try {
          const claims = await deps.tokens.verify(token);
          if (claims.tenant !== owner.tenant || claims.userId !== owner.userId)
            return socket.close(CLOSE_TOKEN_FORBIDDEN, 'token is for another user');
          expiry.extend(claims.acceptedUntilMs);
        } catch (error) {
          // The identity provider being unreachable is no verdict on the token: the session keeps its
          // current expiry, and the client's next refresh tries again.
          if (error instanceof TokenKeysUnavailableError)
            return request.log.warn({ err: error.cause }, 'token refresh could not be checked');
          socket.close(CLOSE_TOKEN_EXPIRED, error instanceof InvalidTokenError ? error.message : 'invalid token');
        }
      };
      socket.on('message', (data) => {
        const message = parseClientMessage(data);
        if (message.token !== null) void refreshToken(message.token);
        if (message.cursor !== null) catchUp(message.cursor);
      });
      socket.on('close', () => {
        expiry.stop();
        remove();
        stopPings();
        deps.metrics.sessions.dec();
      });
      const { cursor } = request.query as { cursor?: string };
      if (cursor !== undefined) catchUp(cursor);
    },
  );
}
