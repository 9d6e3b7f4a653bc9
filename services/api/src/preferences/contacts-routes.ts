/**
 * /v1/contacts: the caller's contact points and profile. Every write answers with the full contacts
 * view after the Recipient record is on the compacted topic, so the next GET, on any replica, shows it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Validated } from './field-problems';
import { CHAT_CHANNELS, contactsResponse, defaultContacts, MAX_PUSH_SUBSCRIPTIONS, type ContactsDocument } from './contacts-document';
import { contactsView, readContacts, updateContacts } from './contacts-store';
import type { Tx } from '../transaction';
import { deleteDevices } from '../devices/device-rows';
import { registerDevice } from '../devices/register-device';
import type { ResolvedDeps } from './deps';
import { sendError, sendFieldErrors } from './http-errors';
import { caller } from './caller';
import { Refusal } from './refusal';
import {
  isChatChannel,
  validateChatDestination,
  validateEmail,
  validatePhone,
  validateProfile,
  validatePushEndpoint,
  validatePushSubscription,
} from './validate-contacts';
import { supersedePendingVerifications } from './verification/verification-store';
import { deleteWebhookSecrets, issueWebhookSecretOnce, rotateWebhookSecret } from './webhook-secrets';

const INVALID = 'invalid_contact';

export function registerContactRoutes(app: FastifyInstance, deps: ResolvedDeps): void {
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    validation: Validated<unknown> | null,
    apply: (current: ContactsDocument, trx: Tx) => Promise<ContactsDocument> | ContactsDocument,
  ) => {
    if (validation && !validation.ok) return sendFieldErrors(reply, INVALID, validation.problems);
    const user = caller(request);
    return contactsView(await updateContacts(deps, user.tenant, user.userId, apply));
  };

  app.get('/v1/contacts', async (request) => {
    const user = caller(request);
    const stored = await readContacts(deps.db, deps.contacts, user.tenant, user.userId);
    return stored ? contactsView(stored) : contactsResponse(defaultContacts(), null);
  });

  app.put('/v1/contacts/email', async (request, reply) => {
    const email = validateEmail(request.body);
    return change(request, reply, email, (current) =>
      email.ok && email.value !== current.email
        ? // A new address is unproven whatever the old one was.
          { ...current, email: email.value, email_verified: false }
        : current,
    );
  });

  app.delete('/v1/contacts/email', async (request, reply) =>
    change(request, reply, null, (current) => ({ ...current, email: null, email_verified: false })),
  );

  app.put('/v1/contacts/phone', async (request, reply) => {
    const phone = validatePhone(request.body);
    return change(request, reply, phone, async (current, trx) => {
      if (!phone.ok || phone.value === current.phone) return current;
      // A code sent to the old number must not verify the new one.
      await supersedePendingVerifications(trx, caller(request), deps.clock());
      return { ...current, phone: phone.value, phone_verified: false };
    });
  });

  app.delete('/v1/contacts/phone', async (request, reply) =>
    change(request, reply, null, async (current, trx) => {
      await supersedePendingVerifications(trx, caller(request), deps.clock());
      return { ...current, phone: null, phone_verified: false };
    }),
  );

  app.post('/v1/contacts/push-subscriptions', async (request, reply) => {
    const subscription = validatePushSubscription(request.body);
    return change(request, reply, subscription, async (current, trx) => {
      if (!subscription.ok) return current;
      // A browser is a web device: the endpoint identifies the install, and subscribing again replaces its keys.
      const { endpoint, p256dh, auth } = subscription.value;
      await registerDevice(
        deps,
        trx,
        caller(request),
        { platform: 'web', app_id: '', token: endpoint, subscription: { p256dh, auth }, locale: null },
        {
          max: MAX_PUSH_SUBSCRIPTIONS,
          platform: 'web',
          code: 'too_many_push_subscriptions',
          message: `at most ${MAX_PUSH_SUBSCRIPTIONS} push subscriptions; remove one first`,
        },
      );
      return current;
    });
  });

  app.delete('/v1/contacts/push-subscriptions', async (request, reply) => {
    const endpoint = validatePushEndpoint(request.body ?? { endpoint: (request.query as { endpoint?: unknown }).endpoint });
    return change(request, reply, endpoint, async (current, trx) => {
      if (!endpoint.ok) return current;
      const user = caller(request);
      if ((await deleteDevices(trx, deps.contacts, user.tenant, user.userId, { endpoint: endpoint.value })) === 0)
        throw new Refusal(404, 'not_found', 'no push subscription has this endpoint');
      return current;
    });
  });

  app.put<{ Params: { channel: string } }>('/v1/contacts/chat/:channel', async (request, reply) => {
    const { channel } = request.params;
    if (!isChatChannel(channel)) return unknownChatChannel(reply, channel);
    const destination = validateChatDestination(channel, request.body);
    // A user's own webhook endpoint is signed with a secret of its own, issued with the first endpoint
    // and shown in this answer only.
    let issued: string | null = null;
    const answer = await change(request, reply, destination, async (current, trx) => {
      if (!destination.ok) return current;
      if (channel === 'webhook') {
        const user = caller(request);
        issued = await issueWebhookSecretOnce(trx, user.tenant, user.userId, new Date(deps.clock()));
      }
      return { ...current, chat: { ...current.chat, [channel]: destination.value } };
    });
    return issued === null || reply.sent ? answer : { ...answer, webhook_signing_secret: issued };
  });

  app.delete<{ Params: { channel: string } }>('/v1/contacts/chat/:channel', async (request, reply) => {
    const { channel } = request.params;
    if (!isChatChannel(channel)) return unknownChatChannel(reply, channel);
    return change(request, reply, null, async (current, trx) => {
      if (channel === 'webhook') await deleteWebhookSecrets(trx, caller(request).tenant, caller(request).userId);
      return { ...current, chat: Object.fromEntries(Object.entries(current.chat).filter(([c]) => c !== channel)) };
    });
  });

  app.post('/v1/contacts/chat/webhook/secret', async (request, reply) => {
    const user = caller(request);
    const now = new Date(deps.clock());
    const rotated = await deps.db.transaction().execute(async (trx) => {
      const stored = await readContacts(trx, deps.contacts, user.tenant, user.userId);
      if (!stored?.document.chat.webhook) return null;
      return rotateWebhookSecret(trx, user.tenant, user.userId, now);
    });
    if (!rotated) return sendError(reply, 404, 'not_found', 'set a webhook endpoint first (PUT /v1/contacts/chat/webhook)');
    return reply
      .code(201)
      .send({ webhook_signing_secret: rotated.secret, previous_secrets_retire_at: rotated.previousRetiresAt.toISOString() });
  });

  app.put('/v1/contacts/profile', async (request, reply) => {
    const profile = validateProfile(request.body);
    return change(request, reply, profile, (current) => (profile.ok ? { ...current, ...profile.value } : current));
  });
}

function unknownChatChannel(reply: FastifyReply, channel: string): FastifyReply {
  return sendError(reply, 404, 'not_found', `no chat destination "${channel}" (one of ${CHAT_CHANNELS.join(', ')})`);
}
