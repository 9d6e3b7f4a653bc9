/** GET and PUT /v1/prefs for the authenticated user; POST is the same replace, as seed 001's clients send it. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caller } from './caller';
import type { ResolvedDeps } from './deps';
import { sendFieldErrors } from './http-errors';
import { defaultPreferences, preferencesResponse } from './preferences-document';
import { readPreferences, replacePreferences } from './preferences-store';
import { validatePreferences } from './validate-preferences';

export function registerPreferencesDocumentRoutes(app: FastifyInstance, deps: ResolvedDeps): void {
  app.get('/v1/prefs', async (request) => {
    const user = caller(request);
    const stored = await readPreferences(deps.db, user.tenant, user.userId);
    return stored ? preferencesResponse(stored.document, stored.updatedAt) : preferencesResponse(defaultPreferences(), null);
  });

  const replace = async (request: FastifyRequest, reply: FastifyReply) => {
    const user = caller(request);
    const validation = validatePreferences(request.body);
    if (!validation.ok) return sendFieldErrors(reply, 'invalid_preferences', validation.problems);
    const stored = await replacePreferences(deps, user.tenant, user.userId, validation.value);
    return preferencesResponse(stored.document, stored.updatedAt);
  };
  app.put('/v1/prefs', { bodyLimit: 64 * 1024 }, replace);
  app.post('/v1/prefs', { bodyLimit: 64 * 1024 }, replace);
}
