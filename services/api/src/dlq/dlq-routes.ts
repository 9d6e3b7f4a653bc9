/**
 * Operator view of dead letters: list (newest first, by stage), inspect (the original record decoded
 * through the registry when it is ours), and replay (the original bytes, unchanged, back to the
 * original topic with a header naming the dead letter). A second replay must be forced, so a
 * double-click does not deliver twice.
 */
import type { FastifyInstance } from 'fastify';
import type { AvroCodec } from '@notify/kafka';
import { topicSpec, type TopicName } from '@notify/schemas';
import { requireOperator } from '../auth';
import { sendError } from '../http/errors';
import { operatorName, operatorSecurity } from '../http/operator';
import { cursorParam } from '../http/schemas';
import type { ApiPublisher } from '../kafka/api-publisher';
import type { DlqStore } from './dlq-store';
import { jsonSafe, summaryOf } from './dlq-view';

export interface DlqRouteDeps {
  jwtSecret: string;
  store: DlqStore;
  codec: AvroCodec;
  publisher: ApiPublisher;
  now: () => number;
}

const tags = ['admin'];
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } } } as const;

async function decodeOriginal(codec: AvroCodec, topic: string, bytes: Buffer | null): Promise<{ decoded: unknown; decode_error: string | null }> {
  if (!bytes) return { decoded: null, decode_error: 'the dead letter carries no original value' };
  if (!topicSpec(topic)) return { decoded: null, decode_error: `${topic} is not a topic of this platform` };
  try {
    return { decoded: jsonSafe(await codec.decode(topic as TopicName, bytes)), decode_error: null };
  } catch (error) {
    return { decoded: null, decode_error: error instanceof Error ? error.message : String(error) };
  }
}

export function registerDlqRoutes(app: FastifyInstance, deps: DlqRouteDeps): void {
  const auth = requireOperator(deps.jwtSecret);

  app.get('/v1/admin/dlq', {
    preHandler: auth,
    schema: {
      summary: 'List dead letters, newest first', tags, security: operatorSecurity,
      querystring: {
        type: 'object',
        properties: { cursor: cursorParam, stage: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
      },
    },
  }, async (request) => {
    const q = request.query as { cursor?: string; stage?: string; limit: number };
    const { entries, nextCursor } = await deps.store.page({ before: q.cursor ?? null, stage: q.stage ?? null, limit: q.limit });
    return { items: entries.map(summaryOf), next_cursor: nextCursor };
  });

  app.get('/v1/admin/dlq/:id', {
    preHandler: auth,
    schema: { summary: 'Inspect a dead letter with its original record', tags, security: operatorSecurity, params: idParams },
  }, async (request, reply) => {
    const entry = await deps.store.find((request.params as { id: string }).id);
    if (!entry) return sendError(reply, 404, 'not_found', 'no such dead letter');
    return {
      ...summaryOf(entry),
      original_base64: entry.original ? entry.original.toString('base64') : null,
      ...(await decodeOriginal(deps.codec, entry.original_topic, entry.original)),
    };
  });

  app.post('/v1/admin/dlq/:id/replay', {
    preHandler: auth,
    schema: {
      summary: 'Replay a dead letter to its original topic', tags, security: operatorSecurity, params: idParams,
      querystring: { type: 'object', properties: { force: { type: 'boolean', default: false, description: 'Replay again after an earlier replay' } } },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { force } = request.query as { force: boolean };
    const entry = await deps.store.find(id);
    if (!entry) return sendError(reply, 404, 'not_found', 'no such dead letter');
    if (!entry.original) return sendError(reply, 409, 'nothing_to_replay', 'the dead letter carries no original value');
    if (!topicSpec(entry.original_topic)) return sendError(reply, 409, 'unknown_topic', `${entry.original_topic} is not a topic of this platform`);
    if (entry.replay_count > 0 && !force) return sendError(reply, 409, 'already_replayed', `replayed at ${entry.replayed_at?.toISOString() ?? '?'}; add ?force=true to replay again`);
    const operator = operatorName(request);
    await deps.publisher.replay({ entryId: entry.id, topic: entry.original_topic, key: entry.original_key, value: entry.original, operator });
    const updated = await deps.store.markReplayed(id, operator, new Date(deps.now()));
    return summaryOf(updated ?? entry);
  });
}
