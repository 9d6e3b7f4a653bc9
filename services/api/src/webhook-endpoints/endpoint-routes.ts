/**
 * Operators see their tenant's webhook endpoint health and bring a disabled endpoint back. Re-enabling
 * also replays its backlog: the tenant's webhook dead letters with code `endpoint_disabled` (the
 * dispatches refused while it was disabled), through the same replay path as POST /v1/admin/dlq/replay,
 * after the endpoint is enabled, so the worker sends them instead of refusing them again.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { requireOperator, type TenantScopes, type TokenVerifier } from '../auth';
import { replaySelected, type BulkReplayResult, type ReplayDeps } from '../dlq/replay-entries';
import { BULK_REPLAY_MAX_LIMIT, type ReplayFilter } from '../dlq/replay-filter';
import { sendError } from '../http/errors';
import { operatorName, operatorSecurity } from '../http/operator';
import type { EndpointHealth, EndpointHealthStore } from './endpoint-health-store';

export interface EndpointRouteDeps extends ReplayDeps {
  tokens: TokenVerifier;
  scopes: TenantScopes;
  health: EndpointHealthStore;
}

const tags = ['admin'];
const tenant = {
  type: 'string',
  minLength: 1,
  description: "The tenant; an operator's own by default, every tenant for the platform role",
} as const;

/** The dead letters an endpoint's re-enable replays: those its disable caused, within the tenant. */
export const BACKLOG_FILTER: ReplayFilter = {
  stage: 'channel-webhook',
  code: 'endpoint_disabled',
  from: null,
  to: null,
  limit: BULK_REPLAY_MAX_LIMIT,
  force: false,
};

function view(h: EndpointHealth) {
  return {
    tenant: h.tenant,
    endpoint: h.endpoint,
    status: h.disabled_at ? 'disabled' : h.failing_since ? 'failing' : 'healthy',
    failing_since: h.failing_since?.toISOString() ?? null,
    failures: h.failures,
    last_failure_at: h.last_failure_at?.toISOString() ?? null,
    last_error: h.last_error,
    disabled_at: h.disabled_at?.toISOString() ?? null,
    disabled_reason: h.disabled_reason,
    enabled_at: h.enabled_at?.toISOString() ?? null,
    enabled_by: h.enabled_by,
  };
}

/** Replays the whole backlog, a batch at a time, until a batch replays nothing more or is not full. */
async function replayBacklog(deps: EndpointRouteDeps, tenantName: string, operator: string, log: FastifyBaseLogger) {
  const replayed: string[] = [];
  const skipped = new Map<string, BulkReplayResult['skipped'][number]>();
  for (;;) {
    const round = await replaySelected(deps, BACKLOG_FILTER, tenantName, operator, log);
    replayed.push(...round.replayed);
    for (const s of round.skipped) skipped.set(s.id, s);
    if (!round.limit_reached || round.count === 0) break;
  }
  return { count: replayed.length, replayed, skipped: [...skipped.values()] };
}

export function registerWebhookEndpointRoutes(app: FastifyInstance, deps: EndpointRouteDeps): void {
  const auth = requireOperator(deps.tokens);

  app.get(
    '/v1/admin/webhook-endpoints',
    {
      preHandler: auth,
      schema: {
        summary:
          "Health of the tenant's webhook endpoints: failing since when, disabled when and why (endpoints that never failed have no record)",
        tags,
        security: operatorSecurity,
        querystring: { type: 'object', properties: { tenant } },
      },
    },
    async (request, reply) => {
      const q = request.query as { tenant?: string };
      const scope = await deps.scopes.resolve(request, reply, q.tenant, 'webhook_endpoints.list');
      if (!scope) return reply;
      return { items: (await deps.health.list(scope.tenant)).map(view) };
    },
  );

  app.post(
    '/v1/admin/webhook-endpoints/enable',
    {
      preHandler: auth,
      schema: {
        summary:
          "Re-enable a disabled webhook endpoint and replay the dispatches refused while it was disabled (the tenant's endpoint_disabled dead letters)",
        tags,
        security: operatorSecurity,
        body: {
          type: 'object',
          required: ['endpoint'],
          additionalProperties: false,
          properties: {
            tenant,
            endpoint: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'The endpoint id, as GET /v1/admin/webhook-endpoints lists it',
            },
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { tenant?: string; endpoint: string };
      const scope = await deps.scopes.resolve(request, reply, body.tenant, 'webhook_endpoints.enable', { endpoint: body.endpoint });
      if (!scope) return reply;
      if (scope.tenant === null) return sendError(reply, 400, 'tenant_required', 'name the tenant whose endpoint to re-enable');
      const user = request.user;
      if (!user) throw new Error('route is missing its authentication preHandler');
      const outcome = await deps.health.enable(scope.tenant, body.endpoint, user, new Date(deps.now()));
      if (outcome.kind === 'not_found') return sendError(reply, 404, 'not_found', 'no health record for this endpoint of the tenant');
      if (outcome.kind === 'not_disabled') return sendError(reply, 409, 'not_disabled', 'the endpoint is not disabled');
      const replay = await replayBacklog(deps, scope.tenant, operatorName(request), request.log);
      return { endpoint: view(outcome.health), replay };
    },
  );
}
