/**
 * Preview and test send. A preview renders a template (a stored version, unsaved fields, or what is
 * in use now) against a sample payload or a real past event, for a locale and channel, with
 * channelRenderer: the function the channel worker renders with, over the tenant's templates as
 * the worker reads them, the previewed one standing in for its slot. Strict variables: a variable
 * the sample lacks is an error (with its line and column), as are syntax errors and unknown filters.
 *
 * A test send publishes a Dispatch to the caller's own contact point on the channel's dispatch
 * topic, pinned to a stored version, so it goes through the real worker and provider.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  channelRenderer,
  countSegments,
  TemplateError,
  type ChannelRenderOptions,
  type TemplateEngine,
  type TemplateSource,
  type TenantTemplates,
} from '@notify/channel';
import type { ContactCipher, Db, PersonalKeys } from '@notify/db';
import type { AvroCodec, OutgoingRecord } from '@notify/kafka';
import { dispatchTopic, isChannel, type Channel, type Severity } from '@notify/schemas';
import { sendError } from '../http/errors';
import { operatorSecurity } from '../http/operator';
import { apiWriterHeaders } from '../kafka/writer-header';
import { checkTemplate, problemOf } from './template-check';
import { callerAddress, contactOf, pastEvent } from './template-inputs';
import { templateDispatch } from './template-message';
import { callerTenant, sendInvalid, slotOf, tags, type OperatorAuth } from './template-routes';
import { invalidTemplate, previewResponse, renderBody, testSendResponse } from './template-schemas';
import type { TemplateStore } from './template-store';

export interface TemplateRenderDeps {
  /** The operator check every other admin route uses (requireOperator). */
  operatorAuth: OperatorAuth;
  db: Db;
  /** Opens the caller's contact points, stored sealed. */
  contacts: ContactCipher;
  store: TemplateStore;
  /** The tenant's templates as a worker reads them; re-read for the caller's tenant on every call. */
  templates: TenantTemplates;
  engine: TemplateEngine;
  /** The same settings the email and SMS workers render with (unsubscribe links, segment budget). */
  render: Pick<ChannelRenderOptions, 'email' | 'smsMaxSegments'>;
  codec: AvroCodec;
  send: (records: OutgoingRecord[]) => Promise<void>;
  /** Seals the caller's own address in the test dispatch with the caller's data key. */
  personal: Pick<PersonalKeys, 'seal'>;
  now: () => number;
}

interface RenderBody {
  template_id: string;
  channel: string;
  locale: string;
  version?: number;
  fields?: Record<string, string>;
  type?: string;
  payload?: Record<string, unknown>;
  event_id?: string;
  user_id?: string;
  send_channel?: Channel;
}

/** What a template is rendered with: the event's type, severity and payload. */
interface Sample {
  type: string;
  severity: Severity;
  payload: unknown;
}

type Resolved<T> = { ok: true; value: T } | { ok: false; reply: FastifyReply };

async function sampleOf(deps: TemplateRenderDeps, tenant: string, body: RenderBody, reply: FastifyReply): Promise<Resolved<Sample>> {
  if (body.event_id !== undefined) {
    const event = await pastEvent(deps.db, tenant, body.event_id);
    if (!event)
      return {
        ok: false,
        reply: sendError(
          reply,
          404,
          'not_found',
          `no event ${body.event_id} of this tenant reached an in-app inbox; send a sample payload instead`,
        ),
      };
    return { ok: true, value: { type: body.type ?? event.type, severity: event.severity, payload: body.payload ?? event.payload } };
  }
  return { ok: true, value: { type: body.type ?? body.template_id, severity: 'info', payload: body.payload ?? {} } };
}

/** The source to render with: the tenant's templates, with unsaved fields or a stored version in the previewed slot. */
async function sourceOf(
  deps: TemplateRenderDeps,
  tenant: string,
  body: RenderBody,
  reply: FastifyReply,
): Promise<Resolved<TemplateSource>> {
  const slot = slotOf(tenant, body);
  await deps.templates.refresh(tenant);
  let fields = body.fields;
  if (fields === undefined && body.version !== undefined) {
    const stored = await deps.store.version(slot, body.version);
    if (!stored) return { ok: false, reply: sendError(reply, 404, 'not_found', `no version ${body.version} of this template`) };
    fields = stored.fields;
  }
  if (fields === undefined) return { ok: true, value: deps.templates };
  const checked = checkTemplate(fields, slot.channel, `${slot.channel}: ${slot.templateId}.${slot.locale}.`, deps.engine);
  if (!checked.ok) return { ok: false, reply: sendInvalid(reply, 'the template does not compile', checked.problems) };
  return {
    ok: true,
    value: deps.templates.overriding({
      tenant,
      templateId: slot.templateId,
      channel: slot.channel,
      locale: slot.locale,
      template: checked.template,
    }),
  };
}

/** A template for every channel previews as the in-app message shows it: title and body as written. */
const previewChannel = (channel: string): Channel => (isChannel(channel) ? channel : 'inapp');

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export function registerTemplateRenderRoutes(app: FastifyInstance, deps: TemplateRenderDeps): void {
  const auth = deps.operatorAuth;

  app.post(
    '/v1/templates/preview',
    {
      preHandler: auth,
      schema: {
        summary:
          'Render a template (a stored version, unsaved fields, or the one in use) exactly as the channel worker would, with a sample payload or a past event',
        tags,
        security: operatorSecurity,
        body: renderBody,
        response: { 200: previewResponse, 422: invalidTemplate },
      },
    },
    async (request, reply) => {
      const tenant = callerTenant(request);
      const body = request.body as RenderBody;
      const sample = await sampleOf(deps, tenant, body, reply);
      if (!sample.ok) return sample.reply;
      const source = await sourceOf(deps, tenant, body, reply);
      if (!source.ok) return source.reply;
      const userId = body.user_id ?? (request.user?.userId as string);
      const contact = await contactOf(deps.db, deps.contacts, tenant, userId);
      const channel = previewChannel(body.channel);
      const dispatch = templateDispatch({
        tenant,
        userId,
        channel,
        templateId: body.template_id,
        ...sample.value,
        locale: body.locale,
        timeZone: contact?.timezone ?? null,
        address: null,
        version: null,
        now: deps.now(),
      });
      let message;
      try {
        message = channelRenderer(channel, source.value, { ...deps.render, strictVariables: true, engine: deps.engine, now: deps.now })(
          dispatch,
        );
      } catch (error) {
        if (error instanceof TemplateError) return sendInvalid(reply, error.message, [problemOf(error)]);
        throw error;
      }
      const counted = channel === 'sms' ? countSegments(message.body) : undefined;
      return {
        title: message.title,
        body: message.body,
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.layout !== undefined ? { layout: message.layout } : {}),
        ...(counted ? { segments: { count: counted.segments, encoding: counted.encoding, units: counted.units } } : {}),
        locale_used: typeof message.data.locale === 'string' ? message.data.locale : body.locale,
      };
    },
  );

  app.post(
    '/v1/templates/test-send',
    {
      preHandler: auth,
      schema: {
        summary:
          "Send a stored version (or the one in use) to the caller's own contact point on the channel, through the real worker and provider",
        tags,
        security: operatorSecurity,
        body: renderBody,
        response: { 202: testSendResponse, 422: invalidTemplate },
      },
    },
    async (request, reply) => {
      const tenant = callerTenant(request);
      const userId = request.user?.userId as string;
      const body = request.body as RenderBody;
      const slot = slotOf(tenant, body);
      const channel = isChannel(body.channel) ? body.channel : body.send_channel;
      if (!channel)
        return sendError(
          reply,
          400,
          'invalid_request',
          'a template for every channel (`all`) needs send_channel, the channel to send it on',
        );
      let version: number | null = body.version ?? null;
      if (body.fields !== undefined) {
        // The worker renders stored versions only: unsaved text must be saved first.
        const stored = (await deps.store.versions(slot)).find((v) => body.fields && sameFields(v.fields, body.fields));
        if (!stored) return sendInvalid(reply, 'these fields are not a stored version; save them as a version, then send a test of it', []);
        version = stored.version;
      } else if (version !== null && !(await deps.store.version(slot, version))) {
        return sendError(reply, 404, 'not_found', `no version ${version} of this template`);
      }
      const sample = await sampleOf(deps, tenant, body, reply);
      if (!sample.ok) return sample.reply;
      const contact = await contactOf(deps.db, deps.contacts, tenant, userId);
      const reach = callerAddress(channel, contact);
      if (!reach.ok) return sendError(reply, 422, 'no_contact_point', reach.reason);
      const dispatch = templateDispatch({
        tenant,
        userId,
        channel,
        templateId: body.template_id,
        ...sample.value,
        locale: body.locale,
        timeZone: contact?.timezone ?? null,
        address: reach.address === null ? null : await deps.personal.seal(tenant, userId, reach.address),
        version,
        now: deps.now(),
      });
      const topic = dispatchTopic(channel);
      await deps.send([{ topic, key: dispatch.recipient, value: deps.codec.encode(topic, dispatch), headers: { ...apiWriterHeaders } }]);
      return reply.code(202).send({ notification_id: dispatch.notification_id, channel, version });
    },
  );
}
