/**
 * /v1/devices: the caller's push devices (native apps through FCM and APNs, browsers through Web Push).
 * Registering the same token again refreshes it; registering a token another user held moves it to
 * the caller. Every change publishes the caller's Recipient record before answering, like the
 * contact routes, so the next notification goes to the devices the answer shows.
 */
import type { FastifyInstance } from 'fastify';
import { userSecurity } from '../http/schemas';
import { caller } from '../preferences/caller';
import { readContacts, updateContacts } from '../preferences/contacts-store';
import type { ResolvedDeps } from '../preferences/deps';
import { sendFieldErrors } from '../preferences/http-errors';
import { Refusal } from '../preferences/refusal';
import { deleteDevices, type DeviceRow } from './device-rows';
import { deviceView } from './device-view';
import { registerDevice } from './register-device';
import { validateDevice } from './validate-device';

/** Phones, tablets and browsers of one person; more is a client registering a new token per launch. */
export const MAX_DEVICES = 20;

const docs = (summary: string) => ({ schema: { summary, tags: ['devices'], security: userSecurity } });

export function registerDeviceRoutes(app: FastifyInstance, deps: ResolvedDeps): void {
  app.get('/v1/devices', docs('Your push devices'), async (request) => {
    const user = caller(request);
    const stored = await readContacts(deps.db, deps.contacts, user.tenant, user.userId);
    return { items: (stored?.devices ?? []).map(deviceView) };
  });

  app.post(
    '/v1/devices',
    docs('Register a push device (or refresh it): an FCM or APNs token, or a Web Push subscription'),
    async (request, reply) => {
      const device = validateDevice(request.body);
      if (!device.ok) return sendFieldErrors(reply, 'invalid_device', device.problems);
      const user = caller(request);
      let registered: { row: DeviceRow; created: boolean } | undefined;
      await updateContacts(deps, user.tenant, user.userId, async (current, trx) => {
        registered = await registerDevice(deps, trx, user, device.value, {
          max: MAX_DEVICES,
          code: 'too_many_devices',
          message: `at most ${MAX_DEVICES} devices; remove one first`,
        });
        return current;
      });
      if (!registered) throw new Error('device registration ended without a device');
      return reply.code(registered.created ? 201 : 200).send(deviceView(registered.row));
    },
  );

  app.delete<{ Params: { id: string } }>('/v1/devices/:id', docs('Remove one of your push devices'), async (request, reply) => {
    const user = caller(request);
    await updateContacts(deps, user.tenant, user.userId, async (current, trx) => {
      if ((await deleteDevices(trx, deps.contacts, user.tenant, user.userId, { deviceId: request.params.id })) === 0) {
        throw new Refusal(404, 'not_found', 'you have no device with this id');
      }
      return current;
    });
    return reply.code(204).send();
  });
}
