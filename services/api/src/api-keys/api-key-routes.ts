/**
 * Operators manage producers' API keys. The key itself is in the creation response only; lists show
 * its prefix. Ingest checks presented keys against the stored digests (revocation within its cache TTL).
 */
import type { FastifyInstance } from 'fastify';
import { requireOperator, type TenantScopes, type TokenVerifier } from '../auth';
import { sendError } from '../http/errors';
import { operatorName, operatorSecurity } from '../http/operator';
import { generateApiKey, type NewApiKey } from './api-key-secret';
import type { ApiKeyInfo, ApiKeyStore } from './api-key-store';

export interface ApiKeyRouteDeps {
  tokens: TokenVerifier;
  store: ApiKeyStore;
  scopes: TenantScopes;
  now: () => number;
  generate?: () => NewApiKey;
}

const tags = ['admin'];
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const tenant = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^/]+$' } as const;

function view(k: ApiKeyInfo) {
  return { ...k, created_at: k.created_at.toISOString(), revoked_at: k.revoked_at ? k.revoked_at.toISOString() : null };
}

export function registerApiKeyRoutes(app: FastifyInstance, deps: ApiKeyRouteDeps): void {
  const auth = requireOperator(deps.tokens);
  const generate = deps.generate ?? (() => generateApiKey());

  app.post(
    '/v1/admin/api-keys',
    {
      preHandler: auth,
      schema: {
        summary: 'Create a producer API key for a tenant (the key is returned once)',
        tags,
        security: operatorSecurity,
        body: { type: 'object', required: ['tenant', 'name'], additionalProperties: false, properties: { tenant, name } },
      },
    },
    async (request, reply) => {
      const body = request.body as { tenant: string; name: string };
      if (!(await deps.scopes.resolve(request, reply, body.tenant, 'api_keys.create'))) return reply;
      const key = generate();
      const info = await deps.store.create(body.tenant, body.name, operatorName(request), key);
      return reply.code(201).send({ ...view(info), key: key.key });
    },
  );

  app.get(
    '/v1/admin/api-keys',
    {
      preHandler: auth,
      schema: {
        summary: 'List producer API keys (never the keys themselves)',
        tags,
        security: operatorSecurity,
        querystring: { type: 'object', properties: { tenant } },
      },
    },
    async (request, reply) => {
      const q = request.query as { tenant?: string };
      const scope = await deps.scopes.resolve(request, reply, q.tenant, 'api_keys.list');
      if (!scope) return reply;
      return { items: (await deps.store.list(scope.tenant)).map(view) };
    },
  );

  app.post(
    '/v1/admin/api-keys/:id/revoke',
    {
      preHandler: auth,
      schema: {
        summary: 'Revoke a producer API key',
        tags,
        security: operatorSecurity,
        params: { type: 'object', required: ['id'], properties: { id: name } },
      },
    },
    async (request, reply) => {
      const revoked = await deps.store.revoke(
        (request.params as { id: string }).id,
        deps.scopes.lookup(request).tenant,
        new Date(deps.now()),
      );
      if (!revoked) return sendError(reply, 404, 'not_found', 'no such API key');
      await deps.scopes.audit(request, revoked.tenant, 'api_keys.revoke', { key_id: revoked.id });
      return view(revoked);
    },
  );
}
