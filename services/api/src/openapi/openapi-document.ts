/**
 * The OpenAPI 3 document, generated from the routes as registered: every route's method, path, JSON
 * schemas (the same ones Fastify validates with), summary and security. A route cannot be missing from
 * the document because the document is built from the route table.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

// Documentation keys on route schemas; Fastify ignores them when validating.
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    security?: Array<Record<string, string[]>>;
  }
}

interface RouteSchema {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  querystring?: JsonObjectSchema;
  params?: JsonObjectSchema;
  body?: unknown;
  response?: Record<string, unknown>;
}

interface JsonObjectSchema {
  properties?: Record<string, { description?: string } & Record<string, unknown>>;
  required?: string[];
}

export interface RecordedRoute {
  method: string;
  url: string;
  websocket: boolean;
  schema: RouteSchema;
}

/** Records every route added after this call (register it before the routes). */
export function recordRoutes(app: FastifyInstance): RecordedRoute[] {
  const routes: RecordedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions & { websocket?: boolean }) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({
        method: method.toLowerCase(),
        url: route.url,
        websocket: route.websocket === true,
        schema: (route.schema ?? {}) as RouteSchema,
      });
    }
  });
  return routes;
}

/** A path parameter (`:name`) or Fastify's escaped colon (`::`, a literal `:` as in `members:import`). */
const PATH_TOKEN = /::|:([A-Za-z0-9_]+)/g;

export const openApiPath = (url: string): string =>
  url.replace(PATH_TOKEN, (_token, name: string | undefined) => (name ? `{${name}}` : ':'));

function pathParameterNames(url: string): string[] {
  return [...url.matchAll(PATH_TOKEN)].flatMap((m) => (m[1] ? [m[1]] : []));
}

function parameters(where: 'query' | 'path', schema: JsonObjectSchema | undefined, url: string): unknown[] {
  const props = schema?.properties ?? {};
  const names = where === 'path' ? pathParameterNames(url) : Object.keys(props);
  return names.map((name) => {
    const { description, ...rest } = props[name] ?? { type: 'string' };
    return {
      name,
      in: where,
      required: where === 'path' || (schema?.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const errorResponse = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** A body or response schema given per media type (Fastify's `{ content: { <type>: { schema } } }`), or undefined for a plain JSON schema. */
function mediaTypes(schema: unknown): Record<string, unknown> | undefined {
  if (schema === null || typeof schema !== 'object' || !('content' in schema)) return undefined;
  const { content } = schema as { content: unknown };
  return content !== null && typeof content === 'object' ? (content as Record<string, unknown>) : undefined;
}

function description(schema: unknown, fallback: string): string {
  const text =
    schema !== null && typeof schema === 'object' && 'description' in schema ? (schema as { description: unknown }).description : undefined;
  return typeof text === 'string' ? text : fallback;
}

function responses(route: RecordedRoute): Record<string, unknown> {
  if (route.websocket) return { 101: { description: 'Switching to the WebSocket protocol' }, 401: errorResponse };
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.schema.response ?? {})) {
    const content = mediaTypes(schema);
    out[status] = content
      ? { description: description(schema, 'Success'), content }
      : { description: 'Success', content: { 'application/json': { schema } } };
  }
  if (Object.keys(out).length === 0)
    out['200'] = { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } };
  out.default = errorResponse;
  return out;
}

export function buildOpenApiDocument(
  routes: readonly RecordedRoute[],
  info: { title: string; version: string },
  errorSchema: unknown,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const s = route.schema;
    const path = openApiPath(route.url);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method] = {
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.security ? { security: s.security } : {}),
      parameters: [...parameters('path', s.params, route.url), ...parameters('query', s.querystring, route.url)],
      ...(s.body ? { requestBody: { required: true, content: mediaTypes(s.body) ?? { 'application/json': { schema: s.body } } } } : {}),
      responses: responses(route),
    };
  }
  return {
    openapi: '3.0.3',
    info,
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Error: errorSchema },
    },
  };
}
