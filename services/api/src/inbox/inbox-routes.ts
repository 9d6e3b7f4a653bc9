/**
 * The user's inbox: cursor pages (newest first; the cursor is the last `seq` seen, so rows inserted
 * meanwhile never shift a page), the unread count, and read / unread / acknowledge / archive.
 * Reading and acknowledging are reported to Kafka only on the transition, before the row changes,
 * so a failed produce leaves the row as it was and the client can retry.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireUser, type TokenVerifier } from '../auth';
import { sendError } from '../http/errors';
import { ownerOf } from '../http/owner';
import { cursorParam, idParam, inboxItem, userSecurity } from '../http/schemas';
import type { ApiPublisher } from '../kafka/api-publisher';
import type { InboxRepository, InboxRow, Owner } from './inbox-repository';
import { viewOfRow } from './inbox-view';

export interface InboxRouteDeps {
  tokens: TokenVerifier;
  inbox: InboxRepository;
  publisher: ApiPublisher;
  now: () => number;
}

const tags = ['inbox'];
const itemResponse = { 200: inboxItem };
const notificationParams = { type: 'object', required: ['id'], properties: { id: idParam } } as const;

function notFound(reply: FastifyReply): FastifyReply {
  return sendError(reply, 404, 'not_found', 'no such notification in your inbox');
}

export function registerInboxRoutes(app: FastifyInstance, deps: InboxRouteDeps): void {
  const auth = requireUser(deps.tokens);

  app.get(
    '/v1/notifications',
    {
      preHandler: auth,
      schema: {
        summary: 'List your notifications, newest first',
        tags,
        security: userSecurity,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cursor: cursorParam,
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            unread: { type: 'boolean', default: false },
            archived: { type: 'boolean', default: false, description: 'List archived notifications instead' },
            token: { type: 'string' },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: inboxItem }, next_cursor: { type: ['string', 'null'] } } },
        },
      },
    },
    async (request) => {
      const q = request.query as { cursor?: string; limit: number; unread: boolean; archived: boolean };
      const { rows, nextCursor } = await deps.inbox.page(ownerOf(request), {
        before: q.cursor ?? null,
        limit: q.limit,
        unreadOnly: q.unread,
        archived: q.archived,
      });
      return { items: rows.map(viewOfRow), next_cursor: nextCursor };
    },
  );

  app.get(
    '/v1/notifications/unread-count',
    {
      preHandler: auth,
      schema: {
        summary: 'Count your unread, unarchived notifications',
        tags,
        security: userSecurity,
        response: { 200: { type: 'object', properties: { unread: { type: 'integer' } } } },
      },
    },
    async (request) => ({ unread: await deps.inbox.unreadCount(ownerOf(request)) }),
  );

  const report = async (owner: Owner, row: InboxRow, action: 'read' | 'acknowledged', at: number): Promise<void> => {
    await deps.publisher.userAction({
      tenant: owner.tenant,
      userId: owner.userId,
      notificationId: row.notification_id,
      eventId: row.event_id,
      type: row.type,
      action,
      occurredAt: row.created_at.getTime(),
      at,
    });
  };

  const acknowledge = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const owner = ownerOf(request);
    const row = await deps.inbox.find(owner, id);
    if (!row) return notFound(reply);
    const at = deps.now();
    if (row.acknowledged_at === null) await report(owner, row, 'acknowledged', at);
    const updated = await deps.inbox.acknowledge(owner, id, new Date(at));
    return updated ? viewOfRow(updated) : notFound(reply);
  };

  app.post(
    '/v1/notifications/ack',
    {
      preHandler: auth,
      schema: {
        summary: 'Acknowledge a notification (also marks it read and stops escalation)',
        tags,
        security: userSecurity,
        body: { type: 'object', required: ['notification_id'], additionalProperties: false, properties: { notification_id: idParam } },
        response: itemResponse,
      },
    },
    async (request, reply) => acknowledge(request, reply, (request.body as { notification_id: string }).notification_id),
  );

  app.post(
    '/v1/notifications/:id/ack',
    {
      preHandler: auth,
      schema: { summary: 'Acknowledge a notification', tags, security: userSecurity, params: notificationParams, response: itemResponse },
    },
    async (request, reply) => acknowledge(request, reply, (request.params as { id: string }).id),
  );

  app.post(
    '/v1/notifications/:id/read',
    {
      preHandler: auth,
      schema: { summary: 'Mark a notification read', tags, security: userSecurity, params: notificationParams, response: itemResponse },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const { id } = request.params as { id: string };
      const row = await deps.inbox.find(owner, id);
      if (!row) return notFound(reply);
      const at = deps.now();
      if (row.read_at === null) await report(owner, row, 'read', at);
      const updated = await deps.inbox.markRead(owner, id, new Date(at));
      return updated ? viewOfRow(updated) : notFound(reply);
    },
  );

  app.post(
    '/v1/notifications/:id/unread',
    {
      preHandler: auth,
      schema: { summary: 'Mark a notification unread', tags, security: userSecurity, params: notificationParams, response: itemResponse },
    },
    async (request, reply) => {
      const updated = await deps.inbox.markUnread(ownerOf(request), (request.params as { id: string }).id);
      return updated ? viewOfRow(updated) : notFound(reply);
    },
  );

  app.post(
    '/v1/notifications/:id/archive',
    {
      preHandler: auth,
      schema: {
        summary: 'Archive a notification (hidden from the default list and the unread count)',
        tags,
        security: userSecurity,
        params: notificationParams,
        response: itemResponse,
      },
    },
    async (request, reply) => {
      const updated = await deps.inbox.archive(ownerOf(request), (request.params as { id: string }).id, new Date(deps.now()));
      return updated ? viewOfRow(updated) : notFound(reply);
    },
  );
}
