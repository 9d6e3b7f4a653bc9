/**
 * Operators manage their tenant's templates: list them (and the shipped ones to start from), read
 * one with every version, store a new version (create and update are the same call), activate a
 * version (an older one is a rollback) and delete them all, after which the shipped text applies
 * again. A version that does not compile is never stored, so none can be activated; activation
 * compiles it once more all the same, in case the engine grew stricter since it was stored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readTemplateFiles, type TemplateEngine } from '@notify/channel';
import { sendError } from '../http/errors';
import { operatorName, operatorSecurity } from '../http/operator';
import { checkTemplate, type TemplateProblem } from './template-check';
import {
  createBody,
  createdResponse,
  defaultsResponse,
  detailResponse,
  invalidTemplate,
  listResponse,
  slotParams,
  versionParams,
} from './template-schemas';
import type { StoredVersion, TemplateSlot, TemplateStore } from './template-store';

export interface TemplateRouteDeps {
  /** The operator check every other admin route uses (requireOperator). */
  operatorAuth: OperatorAuth;
  store: TemplateStore;
  engine: TemplateEngine;
  /** The shipped templates directory (the workers' TEMPLATES_DIR or the bundled one). */
  shippedDir: string;
}

export const tags = ['templates'];

export type OperatorAuth = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function sendInvalid(reply: FastifyReply, message: string, problems: TemplateProblem[]): FastifyReply {
  return reply.code(422).send({ error: { code: 'template_invalid', message }, errors: problems });
}

export function callerTenant(request: { user: { tenant: string } | null }): string {
  if (!request.user) throw new Error('route is missing its authentication preHandler');
  return request.user.tenant;
}

export function slotOf(tenant: string, params: { template_id: string; channel: string; locale: string }): TemplateSlot {
  return { tenant, templateId: params.template_id, channel: params.channel, locale: params.locale };
}

const where = (s: TemplateSlot) => `${s.channel}: ${s.templateId}.${s.locale}.`;

function versionView(v: StoredVersion) {
  return { version: v.version, fields: v.fields, created_at: v.created_at.toISOString(), created_by: v.created_by, active: v.active };
}

export function registerTemplateRoutes(app: FastifyInstance, deps: TemplateRouteDeps): void {
  const auth = deps.operatorAuth;
  const security = operatorSecurity;
  type Slot = { template_id: string; channel: string; locale: string };

  app.get(
    '/v1/templates',
    {
      preHandler: auth,
      schema: {
        summary: "List the tenant's templates with their active and latest versions",
        tags,
        security,
        response: { 200: listResponse },
      },
    },
    async (request) => {
      const templates = await deps.store.list(callerTenant(request));
      return { templates: templates.map((t) => ({ ...t, updated_at: t.updated_at.toISOString() })) };
    },
  );

  app.get(
    '/v1/templates/defaults',
    {
      preHandler: auth,
      schema: {
        summary: "The shipped templates, with their texts, to start a tenant's own from",
        tags,
        security,
        response: { 200: defaultsResponse },
      },
    },
    async () => {
      const files = readTemplateFiles(deps.shippedDir);
      const templates = Object.entries(files).flatMap(([channel, names]) =>
        Object.entries(names).flatMap(([templateId, locales]) =>
          Object.entries(locales).map(([locale, fields]) => ({ template_id: templateId, channel, locale, fields })),
        ),
      );
      templates.sort(
        (a, b) => a.template_id.localeCompare(b.template_id) || a.channel.localeCompare(b.channel) || a.locale.localeCompare(b.locale),
      );
      return { templates };
    },
  );

  app.get(
    '/v1/templates/:template_id/:channel/:locale',
    {
      preHandler: auth,
      schema: {
        summary: 'A tenant template with every version, newest first',
        tags,
        security,
        params: slotParams,
        response: { 200: detailResponse },
      },
    },
    async (request, reply) => {
      const params = request.params as Slot;
      const versions = await deps.store.versions(slotOf(callerTenant(request), params));
      if (versions.length === 0) return sendError(reply, 404, 'not_found', 'the tenant has no such template; the shipped one applies');
      return { ...params, active_version: versions.find((v) => v.active)?.version ?? null, versions: versions.map(versionView) };
    },
  );

  app.post(
    '/v1/templates/:template_id/:channel/:locale/versions',
    {
      preHandler: auth,
      schema: {
        summary:
          'Store a new version of a tenant template (create and update alike), optionally activating it; an invalid template is refused with line and column',
        tags,
        security,
        params: slotParams,
        body: createBody,
        response: { 201: createdResponse, 422: invalidTemplate },
      },
    },
    async (request, reply) => {
      const slot = slotOf(callerTenant(request), request.params as Slot);
      const body = request.body as { fields: Record<string, string>; activate: boolean };
      const checked = checkTemplate(body.fields, slot.channel, where(slot), deps.engine);
      if (!checked.ok) return sendInvalid(reply, 'the template does not compile; nothing was stored', checked.problems);
      const created = await deps.store.create(slot, body.fields, operatorName(request), body.activate);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/v1/templates/:template_id/:channel/:locale/versions/:version/activate',
    {
      preHandler: auth,
      schema: {
        summary: 'Make a version the active one (an older version: a rollback); running channel workers use it within seconds',
        tags,
        security,
        params: versionParams,
        response: { 200: createdResponse, 422: invalidTemplate },
      },
    },
    async (request, reply) => {
      const params = request.params as Slot & { version: number };
      const slot = slotOf(callerTenant(request), params);
      const stored = await deps.store.version(slot, params.version);
      if (!stored) return sendError(reply, 404, 'not_found', `no version ${params.version} of this template`);
      const checked = checkTemplate(stored.fields, slot.channel, where(slot), deps.engine);
      if (!checked.ok) return sendInvalid(reply, 'this version does not compile and cannot be activated', checked.problems);
      if (!(await deps.store.activate(slot, params.version)))
        return sendError(reply, 404, 'not_found', `no version ${params.version} of this template`);
      return { version: params.version, active: true };
    },
  );

  app.delete(
    '/v1/templates/:template_id/:channel/:locale',
    {
      preHandler: auth,
      schema: { summary: 'Delete every version of a tenant template; the shipped text applies again', tags, security, params: slotParams },
    },
    async (request, reply) => {
      const deleted = await deps.store.delete(slotOf(callerTenant(request), request.params as Slot));
      if (!deleted) return sendError(reply, 404, 'not_found', 'the tenant has no such template');
      return reply.code(204).send();
    },
  );
}
