/** The unsubscribe routes wired to the preference write path, so an unsubscribe reaches the aggregator as a user's own change. */
import type { FastifyInstance } from 'fastify';
import { resolveDeps, type PreferenceRouteDeps } from '../preferences/deps';
import { updatePreferences, withChannelOff } from '../preferences/preferences-store';
import { registerUnsubscribeRoutes } from './unsubscribe-routes';

export function registerUnsubscribe(app: FastifyInstance, secret: string, preferences: PreferenceRouteDeps): void {
  const deps = resolveDeps(preferences);
  registerUnsubscribeRoutes(app, {
    secret,
    turnOff: async (tenant, userId, channel) => {
      await updatePreferences(deps, tenant, userId, (current) => withChannelOff(current, channel));
    },
  });
}

export { registerUnsubscribeRoutes, type UnsubscribeRouteDeps } from './unsubscribe-routes';
