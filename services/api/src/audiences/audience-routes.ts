/**
 * /v1/audiences: operators manage who belongs to their tenant's audiences (the names events target
 * with `audience`). The tenant is always the operator token's. Every change is published as the
 * members' full Recipient records before the answer, so the router's audience index follows it.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireOperator, type TokenVerifier } from '../auth';
import { sendError } from '../http/errors';
import { operatorSecurity } from '../http/operator';
import { audienceSchema, userIdSchema } from './audience-names';
import { ImportInterruptedError, importMembers } from './import-members';
import { readLines } from './line-reader';
import { IMPORT_FORMATS, importFormat } from './member-lines';
import { addMembers, audiencePage, memberPage, removeMembers, type MembershipDeps } from './membership-store';

export interface AudienceRouteDeps extends MembershipDeps {
  /** HS256 secret of operator tokens. */
  tokens: TokenVerifier;
}

/** Ids per transaction and per Kafka send during an import. */
const IMPORT_BATCH = 1000;
const MAX_REPORTED_INVALID = 100;
/** Longer than any valid line (a 200-character id, as JSON with other fields); longer ones are reported, not read. */
const MAX_LINE_BYTES = 4096;

const tags = ['audiences'];
const security = operatorSecurity;
const audienceParams = { type: 'object', required: ['audience'], properties: { audience: audienceSchema } } as const;
const memberParams = {
  type: 'object',
  required: ['audience', 'user_id'],
  properties: { audience: audienceSchema, user_id: userIdSchema },
} as const;
const pageQuery = (what: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    properties: {
      cursor: { type: 'string', minLength: 1, maxLength: 200, description: `next_cursor of the previous page: the last ${what} it listed` },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
  }) as const;
const nextCursor = { type: ['string', 'null'] } as const;

const importCounts = {
  audience: { type: 'string' },
  lines: { type: 'integer', description: 'Lines read, blank ones included' },
  added: { type: 'integer' },
  already_members: { type: 'integer', description: 'Ids that were members already, or repeated in the body' },
  invalid: { type: 'integer' },
  invalid_lines: {
    type: 'array',
    description: `The first ${MAX_REPORTED_INVALID} invalid lines`,
    items: { type: 'object', properties: { line: { type: 'integer' }, reason: { type: 'string' } } },
  },
} as const;

interface PageQuery {
  cursor?: string;
  limit: number;
}

function tenantOf(request: FastifyRequest): string {
  if (!request.user) throw new Error('route reached without an authenticated operator');
  return request.user.tenant;
}

function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

export function registerAudienceRoutes(app: FastifyInstance, deps: AudienceRouteDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onReady', async () => {
      await deps.codec.registerTopics(['notifications.recipients']);
    });
    // onRequest: nothing of a body is read for a caller who is not an operator.
    scope.addHook('onRequest', requireOperator(deps.tokens));
    // Import bodies reach the route as the request stream, never buffered by a parser.
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser(Object.keys(IMPORT_FORMATS), (_request, payload, done) => done(null, payload));

    scope.get<{ Querystring: PageQuery }>(
      '/v1/audiences',
      {
        schema: {
          summary: "List your tenant's audiences with their member counts",
          tags,
          security,
          querystring: pageQuery('audience'),
          response: {
            200: {
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: { type: 'object', properties: { audience: { type: 'string' }, members: { type: 'integer' } } },
                },
                next_cursor: nextCursor,
              },
            },
          },
        },
      },
      async (request) => {
        const page = await audiencePage(deps.db, tenantOf(request), request.query.cursor ?? null, request.query.limit);
        return { items: page.items, next_cursor: page.next };
      },
    );

    scope.get<{ Params: { audience: string }; Querystring: PageQuery }>(
      '/v1/audiences/:audience/members',
      {
        schema: {
          summary: 'List the members of an audience, in user id order',
          tags,
          security,
          params: audienceParams,
          querystring: pageQuery('user id'),
          response: {
            200: {
              type: 'object',
              properties: {
                audience: { type: 'string' },
                items: { type: 'array', items: { type: 'object', properties: { user_id: { type: 'string' } } } },
                next_cursor: nextCursor,
              },
            },
          },
        },
      },
      async (request) => {
        const { audience } = request.params;
        const page = await memberPage(deps.db, tenantOf(request), audience, request.query.cursor ?? null, request.query.limit);
        return { audience, items: page.items.map((userId) => ({ user_id: userId })), next_cursor: page.next };
      },
    );

    scope.put<{ Params: { audience: string; user_id: string } }>(
      '/v1/audiences/:audience/members/:user_id',
      {
        schema: {
          summary: 'Add a user to an audience (idempotent)',
          tags,
          security,
          params: memberParams,
          description:
            "Publishes the user's full Recipient record with the new membership. `added` is false when the user was a member already.",
          response: {
            200: { type: 'object', properties: { audience: { type: 'string' }, user_id: { type: 'string' }, added: { type: 'boolean' } } },
          },
        },
      },
      async (request) => {
        const { audience, user_id: userId } = request.params;
        const added = await addMembers(deps, tenantOf(request), audience, [userId]);
        return { audience, user_id: userId, added: added.length > 0 };
      },
    );

    scope.delete<{ Params: { audience: string; user_id: string } }>(
      '/v1/audiences/:audience/members/:user_id',
      {
        schema: {
          summary: 'Remove a user from an audience (idempotent)',
          tags,
          security,
          params: memberParams,
          description: '`removed` is false when the user was not a member.',
          response: {
            200: {
              type: 'object',
              properties: { audience: { type: 'string' }, user_id: { type: 'string' }, removed: { type: 'boolean' } },
            },
          },
        },
      },
      async (request) => {
        const { audience, user_id: userId } = request.params;
        const removed = await removeMembers(deps, tenantOf(request), audience, [userId]);
        return { audience, user_id: userId, removed: removed.length > 0 };
      },
    );

    // `::` is Fastify's escaped colon: the path is /v1/audiences/{audience}/members:import.
    scope.post<{ Params: { audience: string } }>(
      '/v1/audiences/:audience/members::import',
      {
        schema: {
          summary: 'Add many users to an audience from a streamed list',
          tags,
          security,
          params: audienceParams,
          description:
            `text/plain: one user id per line. application/x-ndjson: one JSON string or {"user_id": ...} object per line. ` +
            `The body is read as it arrives and added ${IMPORT_BATCH} ids at a time (one transaction and one Kafka send each), so its size is not limited. ` +
            'Blank lines are skipped; invalid lines are counted and the first ones reported with their line numbers. Adding is idempotent: ' +
            'after a 503 the whole body can be sent again.',
          body: {
            content: {
              'text/plain': { schema: { description: 'One user id per line' } },
              'application/x-ndjson': { schema: { description: 'One JSON string, or object with user_id, per line' } },
            },
          },
          response: { 200: { type: 'object', properties: importCounts } },
        },
      },
      async (request, reply) => {
        const format = importFormat(request.headers['content-type']);
        const body: unknown = request.body;
        if (format === null || !isReadable(body)) {
          return sendError(
            reply,
            415,
            'unsupported_media_type',
            'send one user id per line as text/plain, or one JSON string or {"user_id"} object per line as application/x-ndjson',
          );
        }
        const { audience } = request.params;
        const tenant = tenantOf(request);
        const add = async (userIds: string[]) => (await addMembers(deps, tenant, audience, userIds)).length;
        try {
          return {
            audience,
            ...(await importMembers(readLines(body, MAX_LINE_BYTES), format, add, {
              batchSize: IMPORT_BATCH,
              maxReportedInvalid: MAX_REPORTED_INVALID,
            })),
          };
        } catch (error) {
          if (!(error instanceof ImportInterruptedError)) throw error;
          request.log.warn({ err: error, audience }, 'audience import interrupted');
          return reply
            .code(503)
            .header('retry-after', '1')
            .send({
              error: {
                code: 'unavailable',
                message: `the import stopped after line ${error.progress.lines}; what was added before that is saved, and adding again is harmless, so send the whole body again`,
                progress: { audience, ...error.progress },
              },
            });
        }
      },
    );
  });
}
