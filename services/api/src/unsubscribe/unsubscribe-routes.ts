/**
 * GET and POST /v1/unsubscribe: the target of the signed link channel-email puts in every email (the
 * List-Unsubscribe header and the footer). The link is the credential, so neither method takes a
 * token; both verify its HMAC with UNSUBSCRIBE_SECRET, the key channel-email signs with.
 *
 * GET only shows a confirmation page with a POST button. POST is RFC 8058 one-click (the mail
 * client sends `List-Unsubscribe=One-Click`, form-encoded) and the button's target: it turns the
 * channel off in the user's preferences, published like the user's own change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHANNELS, splitRecipientKey, UNSUBSCRIBE_PARAMS, verifyUnsubscribe, type Channel } from '@notify/schemas';
import { sendError } from '../http/errors';
import { confirmationPage, doneHtml, sendPage } from './unsubscribe-page';

export interface UnsubscribeRouteDeps {
  /** UNSUBSCRIBE_SECRET; empty refuses every link, since nothing could prove a link genuine. */
  secret: string;
  /** Turns `channel` off for the user; resolves once the change is saved and published. */
  turnOff: (tenant: string, userId: string, channel: Channel) => Promise<void>;
}

interface LinkQuery {
  r: string;
  c: Channel;
  s: string;
}

const tags = ['unsubscribe'];

const querystring = {
  type: 'object',
  required: [UNSUBSCRIBE_PARAMS.recipient, UNSUBSCRIBE_PARAMS.channel, UNSUBSCRIBE_PARAMS.signature],
  properties: {
    [UNSUBSCRIBE_PARAMS.recipient]: { type: 'string', minLength: 3, maxLength: 512, description: 'Recipient key (`tenant/user`)' },
    [UNSUBSCRIBE_PARAMS.channel]: { type: 'string', enum: [...CHANNELS], description: 'The channel to turn off' },
    [UNSUBSCRIBE_PARAMS.signature]: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,128}$',
      description: 'HMAC-SHA256 of recipient and channel (base64url)',
    },
  },
} as const;

const html = { 'text/html': { schema: { type: 'string' } } };
const unsubscribed = { type: 'object', properties: { unsubscribed: { type: 'boolean' }, channel: { type: 'string' } } };
const oneClickBody = { type: 'object', properties: { 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } } };

/** The user the link is for, or undefined after answering the refusal. */
function verifiedUser(
  deps: UnsubscribeRouteDeps,
  request: FastifyRequest<{ Querystring: LinkQuery }>,
  reply: FastifyReply,
): { tenant: string; userId: string } | undefined {
  const { r, c, s } = request.query;
  if (!verifyUnsubscribe(deps.secret, r, c, s)) {
    sendError(reply, 403, 'invalid_signature', 'this unsubscribe link is not valid');
    return undefined;
  }
  try {
    return splitRecipientKey(r);
  } catch {
    sendError(reply, 400, 'invalid_link', 'this unsubscribe link names no recipient');
    return undefined;
  }
}

export function registerUnsubscribeRoutes(app: FastifyInstance, deps: UnsubscribeRouteDeps): void {
  void app.register(async (scope) => {
    // Before the query is even validated: without the secret no link can be checked, and none may change anything.
    scope.addHook('onRequest', async (_request, reply) => {
      if (!deps.secret) return sendError(reply, 503, 'unsubscribe_unavailable', 'unsubscribe links cannot be verified by this server');
      return undefined;
    });
    // One-click POSTs are form-encoded (RFC 8058); the body is only a marker, the signed query authorises.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, undefined));

    scope.get<{ Querystring: LinkQuery }>(
      '/v1/unsubscribe',
      {
        schema: {
          summary: 'Confirmation page of an emailed unsubscribe link',
          tags,
          querystring,
          description:
            'Verifies the signed link and shows a page whose button POSTs to the same URL. Changes nothing, so link scanners cannot unsubscribe anyone.',
          response: { 200: { description: 'The confirmation page', content: html } },
        },
      },
      async (request, reply) => {
        if (!verifiedUser(deps, request, reply)) return reply;
        return sendPage(reply, confirmationPage(request.query.c));
      },
    );

    scope.post<{ Querystring: LinkQuery }>(
      '/v1/unsubscribe',
      {
        schema: {
          summary: 'Unsubscribe with a signed link (RFC 8058 one-click)',
          tags,
          querystring,
          description:
            'Turns the channel off in the preferences of the recipient the link was signed for (`channels.<c> = false`), published like their own change. No token: the signed link authorises.',
          body: { content: { 'application/x-www-form-urlencoded': { schema: oneClickBody } } },
          response: {
            200: { description: 'Unsubscribed (HTML for browsers)', content: { 'application/json': { schema: unsubscribed }, ...html } },
          },
        },
      },
      async (request, reply) => {
        const user = verifiedUser(deps, request, reply);
        if (!user) return reply;
        const channel = request.query.c;
        await deps.turnOff(user.tenant, user.userId, channel);
        if ((request.headers.accept ?? '').includes('text/html')) return sendPage(reply, doneHtml(channel));
        return reply.header('cache-control', 'no-store').send({ unsubscribed: true, channel });
      },
    );
  });
}
