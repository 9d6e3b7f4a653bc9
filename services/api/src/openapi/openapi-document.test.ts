import Fastify from 'fastify';
import { buildOpenApiDocument, openApiPath, recordRoutes } from './openapi-document';

describe('OpenAPI document', () => {
  it('documents every route registered after recording starts, with params, query, body and security', async () => {
    const app = Fastify();
    const routes = recordRoutes(app);
    app.get(
      '/v1/things/:id',
      {
        schema: {
          summary: 'One thing',
          tags: ['things'],
          security: [{ bearerAuth: [] }],
          params: { type: 'object', properties: { id: { type: 'string' } } },
          querystring: { type: 'object', required: ['full'], properties: { full: { type: 'boolean', description: 'everything' } } },
        },
      },
      async () => ({}),
    );
    app.post('/v1/things', { schema: { body: { type: 'object', properties: { name: { type: 'string' } } } } }, async () => ({}));
    await app.register(async (scope) => {
      scope.put('/v1/scoped', async () => ({}));
    });
    await app.ready();

    const doc = buildOpenApiDocument(routes, { title: 't', version: '1' }, { type: 'object' }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(Object.keys(doc.paths).sort()).toEqual(['/v1/scoped', '/v1/things', '/v1/things/{id}']);
    const get = doc.paths['/v1/things/{id}']?.get as Record<string, unknown>;
    expect(get.summary).toBe('One thing');
    expect(get.security).toEqual([{ bearerAuth: [] }]);
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'full', in: 'query', required: true, description: 'everything', schema: { type: 'boolean' } },
    ]);
    expect(doc.paths['/v1/things']?.post?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } },
    });
    expect(doc.paths['/v1/scoped']?.put).toBeDefined();
    await app.close();
  });

  it('keeps bodies and responses declared per media type (forms, HTML pages) as declared', async () => {
    const app = Fastify();
    const routes = recordRoutes(app);
    const form = { type: 'object', properties: { a: { type: 'string' } } };
    app.post(
      '/v1/form',
      {
        schema: {
          body: { content: { 'application/x-www-form-urlencoded': { schema: form } } },
          response: { 200: { description: 'A page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      async () => '',
    );
    await app.ready();

    const doc = buildOpenApiDocument(routes, { title: 't', version: '1' }, { type: 'object' }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const post = doc.paths['/v1/form']?.post as Record<string, Record<string, unknown>>;
    expect(post.requestBody).toEqual({ required: true, content: { 'application/x-www-form-urlencoded': { schema: form } } });
    expect(post.responses?.['200']).toEqual({ description: 'A page', content: { 'text/html': { schema: { type: 'string' } } } });
    await app.close();
  });

  it('writes path parameters the OpenAPI way', () => {
    expect(openApiPath('/v1/admin/users/:tenant/:user/erase')).toBe('/v1/admin/users/{tenant}/{user}/erase');
  });

  it("reads Fastify's escaped colon as a literal colon, not a parameter", async () => {
    expect(openApiPath('/v1/audiences/:audience/members::import')).toBe('/v1/audiences/{audience}/members:import');
    const app = Fastify();
    const routes = recordRoutes(app);
    app.post('/v1/audiences/:audience/members::import', async () => ({}));
    await app.ready();
    const doc = buildOpenApiDocument(routes, { title: 't', version: '1' }, { type: 'object' }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/v1/audiences/{audience}/members:import']?.post?.parameters).toEqual([
      { name: 'audience', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    await app.close();
  });
});
