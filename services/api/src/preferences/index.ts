/**
 * User preferences, contact points, push devices and phone verification: GET/PUT/POST /v1/prefs,
 * /v1/contacts/**, /v1/devices/**.
 * Postgres answers reads; every write also publishes the user's full record to its compacted topic
 * (notifications.preferences / notifications.recipients) before the response, so the pipeline and a
 * read on any replica see the change once the call returns.
 */
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth';
import { registerContactRoutes } from './contacts-routes';
import { registerDeviceRoutes } from '../devices/devices-routes';
import { PREFERENCE_WRITE_TOPICS, resolveDeps, type PreferenceRouteDeps } from './deps';
import { preferenceErrorHandler } from './error-handler';
import { registerPreferencesDocumentRoutes } from './preferences-routes';
import { registerVerificationRoutes } from './verification/verification-routes';

export function registerPreferenceRoutes(app: FastifyInstance, deps: PreferenceRouteDeps): void {
  const resolved = resolveDeps(deps);
  void app.register(async (scope) => {
    scope.addHook('onReady', async () => {
      await resolved.codec.registerTopics(PREFERENCE_WRITE_TOPICS);
    });
    // onRequest, not preHandler: a body is not even parsed for a caller without a valid token.
    scope.addHook('onRequest', requireUser(resolved.tokens));
    scope.setErrorHandler(preferenceErrorHandler);
    registerPreferencesDocumentRoutes(scope, resolved);
    registerContactRoutes(scope, resolved);
    registerDeviceRoutes(scope, resolved);
    registerVerificationRoutes(scope, resolved);
  });
}

export { PREFERENCE_WRITE_TOPICS, DEFAULT_VERIFICATION_LIMITS, type PreferenceRouteDeps, type VerificationLimits } from './deps';
export type { PreferencesDocument } from './preferences-document';
export type { ContactsView } from './contacts-document';
