/**
 * Operator analytics over the tracker's tables:
 *  GET /v1/admin/analytics/outcomes  delivered / failed / suppressed / dead-lettered by channel and reason
 *  GET /v1/admin/analytics/latency   delivery latency p50/p95/p99 per channel in time buckets
 * Both take since/until (ISO times; default the last 24 hours) and an optional tenant.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '@notify/db';
import { requireOperator, type TenantScopes, type TokenVerifier } from '../auth';
import { operatorSecurity } from '../http/operator';
import { latencyBuckets, outcomesBy, type AnalyticsRange } from './analytics-queries';

export interface AnalyticsDeps {
  tokens: TokenVerifier;
  db: Db;
  scopes: TenantScopes;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Bounds the work of one request: at most this many buckets per channel. */
const MAX_BUCKETS = 2000;
const tags = ['admin'];

const rangeQuery = {
  since: { type: 'string', format: 'date-time', description: 'Start (inclusive) of the terminal time; default 24 hours ago' },
  until: { type: 'string', format: 'date-time', description: 'End (exclusive); default now' },
  tenant: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    description: "The tenant; an operator's own by default, every tenant for the platform role",
  },
} as const;

interface RangeQuery {
  since?: string;
  until?: string;
  tenant?: string;
}

function rangeOf(q: RangeQuery, tenant: string | null, now: number, reply: FastifyReply): AnalyticsRange | null {
  const until = q.until ? new Date(q.until) : new Date(now);
  const since = q.since ? new Date(q.since) : new Date(until.getTime() - DAY_MS);
  if (!(since < until)) {
    void reply.code(400).send({
      error: {
        code: 'invalid_range',
        message: 'since must be before until',
        fields: [{ field: 'since', message: 'must be before until' }],
      },
    });
    return null;
  }
  return { since, until, tenant };
}

export function registerAnalyticsRoutes(app: FastifyInstance, deps: AnalyticsDeps): void {
  const auth = requireOperator(deps.tokens);
  const now = deps.now ?? Date.now;

  app.get(
    '/v1/admin/analytics/outcomes',
    {
      preHandler: auth,
      schema: {
        summary: 'Terminal outcomes by channel, status and reason',
        tags,
        security: operatorSecurity,
        querystring: { type: 'object', additionalProperties: false, properties: rangeQuery },
      },
    },
    async (request, reply) => {
      const q = request.query as RangeQuery;
      const scope = await deps.scopes.resolve(request, reply, q.tenant, 'analytics.outcomes');
      const range = scope && rangeOf(q, scope.tenant, now(), reply);
      if (!range) return reply;
      return { since: range.since.toISOString(), until: range.until.toISOString(), rows: await outcomesBy(deps.db, range) };
    },
  );

  app.get(
    '/v1/admin/analytics/latency',
    {
      preHandler: auth,
      schema: {
        summary: 'Delivery latency percentiles per channel over time buckets',
        tags,
        security: operatorSecurity,
        description: "One series per channel; `channel=all` gives one series over every channel's deliveries pooled.",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...rangeQuery,
            bucket_seconds: { type: 'integer', minimum: 10, maximum: 86_400, default: 300 },
            channel: { type: 'string', minLength: 1, maxLength: 40 },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query as RangeQuery & { bucket_seconds: number; channel?: string };
      const scope = await deps.scopes.resolve(request, reply, q.tenant, 'analytics.latency');
      const range = scope && rangeOf(q, scope.tenant, now(), reply);
      if (!range) return reply;
      if ((range.until.getTime() - range.since.getTime()) / 1000 / q.bucket_seconds > MAX_BUCKETS) {
        return reply
          .code(400)
          .send({ error: { code: 'invalid_range', message: `at most ${MAX_BUCKETS} buckets: widen bucket_seconds or narrow the range` } });
      }
      const series = await latencyBuckets(deps.db, { ...range, bucketSeconds: q.bucket_seconds, channel: q.channel ?? null });
      return { since: range.since.toISOString(), until: range.until.toISOString(), bucket_seconds: q.bucket_seconds, series };
    },
  );
}
