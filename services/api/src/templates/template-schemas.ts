/** JSON schemas of the template routes: Fastify validates with them and the OpenAPI document shows them. */
import { CHANNELS } from '@notify/schemas';

export const TEMPLATE_CHANNELS = [...CHANNELS, 'all'] as const;

const templateId = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: "A rule's template id, an event type, or `default`",
} as const;
const channel = {
  type: 'string',
  enum: TEMPLATE_CHANNELS,
  description: 'A channel, or `all` for every channel without a template of its own',
} as const;
const locale = {
  type: 'string',
  pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$',
  description: 'A language (`fr`) or language and region (`fr-CA`)',
} as const;
const version = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;
export const fields = {
  type: 'object',
  minProperties: 1,
  maxProperties: 12,
  additionalProperties: { type: 'string', maxLength: 20_000 },
  description:
    'Liquid texts by field: title and body (aliases per channel: subject/text/html for email, text for SMS, speech for voice), html, and item/group/more for digests',
} as const;

export const slotParams = {
  type: 'object',
  required: ['template_id', 'channel', 'locale'],
  properties: { template_id: templateId, channel, locale },
} as const;
export const versionParams = {
  type: 'object',
  required: ['template_id', 'channel', 'locale', 'version'],
  properties: { template_id: templateId, channel, locale, version },
} as const;

export const createBody = {
  type: 'object',
  required: ['fields'],
  additionalProperties: false,
  properties: { fields, activate: { type: 'boolean', default: false, description: 'Make the new version the active one' } },
} as const;

/** What to render: a stored version, unsaved fields, or (neither) what is in use now; with a sample payload or a past event's. */
export const renderBody = {
  type: 'object',
  required: ['template_id', 'channel', 'locale'],
  additionalProperties: false,
  properties: {
    template_id: templateId,
    channel,
    locale,
    version,
    fields,
    type: { type: 'string', minLength: 1, maxLength: 200, description: "The event type (default: the event's, else the template id)" },
    payload: { type: 'object', additionalProperties: true, description: 'A sample event payload' },
    event_id: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Render with the payload of this past event of the tenant (one that reached an in-app inbox)',
    },
    user_id: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'The recipient whose time zone dates are shown in (preview; default the caller)',
    },
    send_channel: { type: 'string', enum: CHANNELS, description: 'Test send of an `all` template: the channel to send it on' },
  },
} as const;

const problem = {
  type: 'object',
  properties: {
    field: { type: 'string' },
    line: { type: ['integer', 'null'] },
    column: { type: ['integer', 'null'] },
    message: { type: 'string' },
  },
} as const;

export const invalidTemplate = {
  type: 'object',
  properties: {
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    errors: { type: 'array', items: problem },
  },
} as const;

const summary = {
  type: 'object',
  properties: {
    template_id: { type: 'string' },
    channel: { type: 'string' },
    locale: { type: 'string' },
    active_version: { type: ['integer', 'null'] },
    latest_version: { type: 'integer' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const listResponse = { type: 'object', properties: { templates: { type: 'array', items: summary } } } as const;

const textFields = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const defaultsResponse = {
  type: 'object',
  properties: {
    templates: {
      type: 'array',
      items: {
        type: 'object',
        properties: { template_id: { type: 'string' }, channel: { type: 'string' }, locale: { type: 'string' }, fields: textFields },
      },
    },
  },
} as const;

export const detailResponse = {
  type: 'object',
  properties: {
    template_id: { type: 'string' },
    channel: { type: 'string' },
    locale: { type: 'string' },
    active_version: { type: ['integer', 'null'] },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer' },
          fields: textFields,
          created_at: { type: 'string', format: 'date-time' },
          created_by: { type: 'string' },
          active: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const createdResponse = { type: 'object', properties: { version: { type: 'integer' }, active: { type: 'boolean' } } } as const;

export const previewResponse = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    body: { type: 'string' },
    html: { type: 'string' },
    layout: { description: 'The chat layout the template renders (Slack blocks, a Discord embed, a Teams card), as JSON' },
    segments: { type: 'object', properties: { count: { type: 'integer' }, encoding: { type: 'string' }, units: { type: 'integer' } } },
    locale_used: { type: 'string' },
  },
} as const;

export const testSendResponse = {
  type: 'object',
  properties: { notification_id: { type: 'string' }, channel: { type: 'string' }, version: { type: ['integer', 'null'] } },
} as const;
