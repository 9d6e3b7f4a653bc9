/**
 * Operator view of dead letters: list (newest first, by stage), inspect (the original record decoded
 * through the registry when it is ours), and replay, one or in bulk by filter (replay-plan.ts says
 * what is sent; every record carries a header naming its dead letter). A second replay must be
 * forced, so a double-click does not deliver twice.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AvroCodec } from '@notify/kafka';
import { topicSpec, type TopicName } from '@notify/schemas';
import { requireOperator, type TenantScopes, type TokenVerifier } from '../auth';
import { sendError } from '../http/errors';
import { operatorName, operatorSecurity } from '../http/operator';
import { cursorParam } from '../http/schemas';
import type { ApiPublisher } from '../kafka/api-publisher';
import type { DlqStore } from './dlq-store';
import { jsonSafe, summaryOf } from './dlq-view';
import { replayEntry, refusalOf, replaySelected, type EntryReplay } from './replay-entries';
import { BULK_REPLAY_DEFAULT_LIMIT, BULK_REPLAY_MAX_LIMIT, parseReplayFilter, type BulkReplayBody } from './replay-filter';

export interface DlqRouteDeps {
  tokens: TokenVerifier;
  store: DlqStore;
  scopes: TenantScopes;
  codec: AvroCodec;
  publisher: ApiPublisher;
  now: () => number;
}

const tags = ['admin'];
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } } } as const;

async function decodeOriginal(
  codec: AvroCodec,
  topic: string,
  bytes: Buffer | null,
): Promise<{ decoded: unknown; decode_error: string | null }> {
  if (!bytes) return { decoded: null, decode_error: 'the dead letter carries no original value' };
  if (!topicSpec(topic)) return { decoded: null, decode_error: `${topic} is not a topic of this platform` };
  try {
    return { decoded: jsonSafe(await codec.decode(topic as TopicName, bytes)), decode_error: null };
  } catch (error) {
    return { decoded: null, decode_error: error instanceof Error ? error.message : String(error) };
  }
}

const bulkBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    channel: { type: 'string', minLength: 1, description: "Dead letters of this channel's worker (stage channel-<channel>)" },
    stage: { type: 'string', minLength: 1, description: 'Dead letters of this stage (router, aggregator, channel-email, ...)' },
    code: { type: 'string', minLength: 1, description: 'Error code the stage gave up with, such as http_410' },
    from: { type: 'string', format: 'date-time', description: 'Failed at or after this instant' },
    to: { type: 'string', format: 'date-time', description: 'Failed before this instant' },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: BULK_REPLAY_MAX_LIMIT,
      default: BULK_REPLAY_DEFAULT_LIMIT,
      description: 'Most dead letters replayed by this call, oldest first',
    },
    force: { type: 'boolean', default: false, description: 'Also replay dead letters replayed before' },
    tenant: { type: 'string', minLength: 1, description: "The tenant; an operator's own by default, every tenant for the platform role" },
  },
} as const;

function replyRefused(reply: FastifyReply, outcome: Exclude<EntryReplay, { kind: 'replayed' }>): FastifyReply {
  const { status, code, message } = refusalOf(outcome);
  return sendError(reply, status, code, message);
}

export function registerDlqRoutes(app: FastifyInstance, deps: DlqRouteDeps): void {
  const auth = requireOperator(deps.tokens);

  app.get(
    '/v1/admin/dlq',
    {
      preHandler: auth,
      schema: {
        summary: 'List dead letters, newest first',
        tags,
        security: operatorSecurity,
        querystring: {
          type: 'object',
          properties: {
            cursor: cursorParam,
            stage: { type: 'string', minLength: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            tenant: {
              type: 'string',
              minLength: 1,
              description: "The tenant; an operator's own by default, every tenant for the platform role",
            },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query as { cursor?: string; stage?: string; limit: number; tenant?: string };
      const scope = await deps.scopes.resolve(request, reply, q.tenant, 'dlq.list');
      if (!scope) return reply;
      const { entries, nextCursor } = await deps.store.page({
        tenant: scope.tenant,
        before: q.cursor ?? null,
        stage: q.stage ?? null,
        limit: q.limit,
      });
      return { items: entries.map(summaryOf), next_cursor: nextCursor };
    },
  );

  app.get(
    '/v1/admin/dlq/:id',
    {
      preHandler: auth,
      schema: { summary: 'Inspect a dead letter with its original record', tags, security: operatorSecurity, params: idParams },
    },
    async (request, reply) => {
      const entry = await deps.store.find((request.params as { id: string }).id, deps.scopes.lookup(request).tenant);
      if (!entry) return sendError(reply, 404, 'not_found', 'no such dead letter');
      await deps.scopes.audit(request, entry.tenant, 'dlq.inspect', { dlq_entry: entry.id });
      return {
        ...summaryOf(entry),
        original_base64: entry.original ? entry.original.toString('base64') : null,
        ...(await decodeOriginal(deps.codec, entry.original_topic, entry.original)),
      };
    },
  );

  app.post(
    '/v1/admin/dlq/:id/replay',
    {
      preHandler: auth,
      schema: {
        summary: "Replay a dead letter: a channel's dispatch is re-run from attempt 0, anything else goes back to its topic byte for byte",
        tags,
        security: operatorSecurity,
        params: idParams,
        querystring: {
          type: 'object',
          properties: { force: { type: 'boolean', default: false, description: 'Replay again after an earlier replay' } },
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { force } = request.query as { force: boolean };
      const entry = await deps.store.find(id, deps.scopes.lookup(request).tenant);
      if (!entry) return sendError(reply, 404, 'not_found', 'no such dead letter');
      await deps.scopes.audit(request, entry.tenant, 'dlq.replay', { dlq_entry: entry.id });
      const outcome = await replayEntry(deps, entry, force, operatorName(request));
      if (outcome.kind !== 'replayed') return replyRefused(reply, outcome);
      return { ...summaryOf(outcome.entry), replay: outcome.replay };
    },
  );

  app.post(
    '/v1/admin/dlq/replay',
    {
      preHandler: auth,
      schema: {
        summary: 'Replay the dead letters a filter selects (channel or stage, code, failed_at range), oldest first, up to a limit',
        tags,
        security: operatorSecurity,
        body: bulkBody,
      },
    },
    async (request, reply) => {
      // Whose dead letters first: a request for another tenant's is refused whatever its filter says.
      const scope = await deps.scopes.resolve(request, reply, (request.body as BulkReplayBody).tenant, 'dlq.bulk_replay');
      if (!scope) return reply;
      const parsed = parseReplayFilter(request.body as BulkReplayBody);
      if (!parsed.ok) return sendError(reply, 400, 'invalid_filter', 'the replay filter is invalid', parsed.problems);
      return replaySelected(deps, parsed.filter, scope.tenant, operatorName(request), request.log);
    },
  );
}
